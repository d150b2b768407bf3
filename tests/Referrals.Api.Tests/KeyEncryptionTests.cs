using System.Net;
using System.Security.Cryptography;
using Coordination.Referrals.Privacy;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Referrals.Api.Tests.DatabaseCopies;
using static Coordination.Referrals.Api.Tests.Handoffs;

namespace Coordination.Referrals.Api.Tests;

/// <summary>Referrals reading its key-encryption keys from a folder of secret files, as <c>./coordination up</c> runs it.</summary>
public sealed class KekFolderFactory : ReferralsFactory
{
    private readonly Dictionary<string, KeyEncryptionKey> inFolder = [];

    // Ids are UTC timestamps: the greatest is the current KEK. One exists before the host starts (it refuses to start without).
    public KekFolderFactory() => AddKek("20270101T000000Z");

    public string Folder { get; } = Directory.CreateTempSubdirectory("coordination-kek-").FullName;

    /// <summary>The KEK person keys are wrapped with now (the newest in the folder).</summary>
    public KeyEncryptionKey Current => inFolder.MaxBy(k => k.Key, StringComparer.Ordinal).Value;

    public KeyEncryptionKey AddKek(string id)
    {
        var kek = new KeyEncryptionKey(id, RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(Path.Combine(Folder, id + ConfiguredKeyEncryptionKeys.FileExtension), Convert.ToBase64String(kek.Material));
        inFolder[id] = kek;
        return kek;
    }

    public void RetireKek(string id)
    {
        File.Delete(Path.Combine(Folder, id + ConfiguredKeyEncryptionKeys.FileExtension));
        inFolder.Remove(id);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Privacy:KeyEncryption:Directory", Folder);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>Person keys wrapped by a key-encryption key that is not in the database, and its rotation.</summary>
public class KeyEncryptionTests(KekFolderFactory factory) : IClassFixture<KekFolderFactory>
{
    private readonly Handoffs people = new(factory);

    private HttpClient Jobs() => factory.CreateClient().As(TestTokens.For(Roles.Service, userId: "coordination-jobs"));

    [Fact]
    public async Task Rotating_the_key_encryption_key_rewraps_every_person_key_and_every_referral_still_reads()
    {
        var names = new[] { "Amina", "Béatrice", "Chloé" }.Select(n => n + Guid.NewGuid().ToString("N")[..6]).ToArray();
        var referrals = new List<Guid>();
        foreach (var name in names)
            referrals.Add(await SendFor(name));
        var first = factory.Current;
        var before = await Of(factory.ConnectionString);
        Assert.Equal(names, CanariesRecoverable(before, names, first));

        // The new KEK is added where the service reads them; the rotation re-wraps everything under it.
        var second = factory.AddKek("20270201T000000Z");
        var rotated = await (await Jobs().PostAsync(KeyEncryptionKeyRotation.Route, null)).HasStatus(HttpStatusCode.OK);
        var result = await rotated.ReadJson<KeyEncryptionKeyRotated>();
        Assert.Equal(second.Id, result.KeyEncryptionKey);
        Assert.True(result.Rewrapped >= names.Length && result.Rewrapped == result.Total, $"{result}");

        // The old KEK retired: nothing needs it any more.
        factory.RetireKek(first.Id);
        var again = await (await Jobs().PostAsync(KeyEncryptionKeyRotation.Route, null)).HasStatus(HttpStatusCode.OK);
        Assert.Equal(0, (await again.ReadJson<KeyEncryptionKeyRotated>()).Rewrapped);
        for (var i = 0; i < names.Length; i++)
            Assert.Equal(names[i], (await Get(people.Worker(), referrals[i])).Person.FirstName);

        var after = await Of(factory.ConnectionString);
        Assert.All(after.SelectMany(WrappedKeys), wrapped => Assert.StartsWith($"kek1.{second.Id}.", wrapped));
        Assert.Empty(CanariesRecoverable(after, names, first));
        Assert.Equal(names, CanariesRecoverable(after, names, second));
    }

    [Fact]
    public async Task A_dump_of_the_database_alone_decrypts_nothing()
    {
        var name = "Dalila" + Guid.NewGuid().ToString("N")[..6];
        await SendFor(name);

        var copies = await Of(factory.ConnectionString);

        Assert.Empty(CanariesInClear(copies, [name, "0612345678"]));
        Assert.NotEmpty(copies.SelectMany(WrappedKeys)); // the keys are there, wrapped
        Assert.Empty(CanariesRecoverable(copies, [name, "0612345678"]));
        // The control: with the KEK (which lives outside the database), the same copy gives the person back.
        Assert.Equal([name, "0612345678"], CanariesRecoverable(copies, [name, "0612345678"], factory.Current));
    }

    [Fact]
    public async Task Only_admins_and_jobs_rotate_the_key_encryption_key()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await people.Staff().PostAsync(KeyEncryptionKeyRotation.Route, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).PostAsync(KeyEncryptionKeyRotation.Route, null)).StatusCode);
        await (await factory.CreateClient().As(TestTokens.For(Roles.Admin)).PostAsync(KeyEncryptionKeyRotation.Route, null)).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_rotation_never_brings_back_a_key_erased_meanwhile()
    {
        // The rotation updates (never upserts) each key it loaded: Marten refuses to update a document deleted since.
        var store = factory.Services.GetRequiredService<IDocumentStore>();
        var subject = Guid.NewGuid();
        await using (var create = store.LightweightSession())
        {
            create.Insert(PersonalData.NewKey(subject, DateTimeOffset.UtcNow));
            await create.SaveChangesAsync();
        }
        await using var rotation = store.LightweightSession();
        var loaded = await rotation.LoadAsync<PersonalDataKey>(subject);
        await using (var erasure = store.LightweightSession())
        {
            erasure.Delete<PersonalDataKey>(subject);
            await erasure.SaveChangesAsync();
        }

        rotation.Update(loaded!);
        await Assert.ThrowsAsync<NonExistentDocumentException>(() => rotation.SaveChangesAsync());
        await using var check = store.QuerySession();
        Assert.Null(await check.LoadAsync<PersonalDataKey>(subject));
    }

    private async Task<Guid> SendFor(string firstName)
    {
        var request = new
        {
            receiverOrganisationId = ReferralsFactory.Association, departement = "93",
            person = new { firstName, contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = false },
            situation = "assault", needs = new[] { "coordination--aide-aux-victimes" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        };
        var response = await (await people.Worker().SendJson(HttpMethod.Post, Route, request)).HasStatus(HttpStatusCode.Created);
        return await response.CreatedId();
    }
}
