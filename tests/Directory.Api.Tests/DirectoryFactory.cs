using Coordination.Testing;

namespace Coordination.Directory.Api.Tests;

public sealed class DirectoryFactory() : ServiceFactory<Program>("directory");
