// What nearly every Dashboard API test reads: HTTP statuses, the test tokens' roles, the shared test support and its
// given/when/then, the contracts the tests publish through the real RabbitMQ, and the bus taken from the factory.
global using System.Net;
global using Coordination.Contracts.Directory;
global using Coordination.Contracts.Referrals;
global using Coordination.ServiceDefaults.Security;
global using Coordination.Testing;
global using MassTransit;
global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
global using static Coordination.Testing.Specification;
