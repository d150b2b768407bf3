// What most slices of the service use: the event store, problem details, the current user, typed results.
global using Coordination.ServiceDefaults.EventSourcing;
global using Coordination.ServiceDefaults.Http;
global using Coordination.ServiceDefaults.Security;
global using Marten;
global using Microsoft.AspNetCore.Http.HttpResults;
