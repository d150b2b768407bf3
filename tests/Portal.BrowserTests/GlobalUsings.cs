// What nearly every browser journey reads: Playwright and its assertions, HTTP statuses, the test tokens' roles, the
// shared test support, and the Directory view the platform seeds through Marten.
global using System.Net;
global using Coordination.DirectoryView;
global using Coordination.ServiceDefaults.Security;
global using Coordination.Testing;
global using Marten;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Playwright;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
