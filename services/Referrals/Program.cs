using Coordination.Referrals;
using Coordination.Referrals.Apis;
using Coordination.Referrals.Demo;
using Coordination.Referrals.Privacy;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

return await ApiService.RunAsync(args,
    builder =>
    {
        builder.AddReferrals();
        builder.AddDemoClockIfEnabled();
    },
    app =>
    {
        app.MapReferralsApi();
        app.MapDemoClockIfEnabled(app.Configuration);
        app.MapIntegrationEventsReplay("/api/referrals");
        app.MapErrorQueueRequeue("/api/referrals");
        app.MapKeyEncryptionKeyRotation();
    });

public partial class Program;
