// What the platform's end-to-end tests read nearly everywhere: HTTP statuses, the test tokens' roles, the shared test
// support, and the services' Marten stores taken from their hosts.
global using System.Net;
global using Coordination.ServiceDefaults.Security;
global using Coordination.Testing;
global using Marten;
global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
