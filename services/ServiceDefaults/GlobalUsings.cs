// The two namespaces that most of the shared defaults extend.
global using Microsoft.AspNetCore.Http;
global using Microsoft.Extensions.DependencyInjection;
