namespace Coordination.Identity.Accounts.SecondFactor;

public sealed record EnrolMfa(byte[] Secret, string ProtectedSecret, string Code, IReadOnlyList<string> RecoveryCodes, DateTimeOffset At);

public static class MfaDecisions
{
    public const string WrongCode = "Code incorrect ou expiré : saisissez le code à 6 chiffres affiché maintenant par votre application.";

    /// <summary>
    /// A first (or a new) authenticator app, proven by a code it shows: it replaces any previous one, and the recovery
    /// codes with it. The code used to prove it is spent.
    /// </summary>
    public static IReadOnlyList<object> Enrol(EnrolMfa command, Account state)
    {
        if (!state.CanSignIn)
            throw new ResourceNotFound();
        var step = TotpCodes.Verify(command.Secret, command.Code, command.At, lastUsedStep: -1)
                   ?? throw new InvalidRequest(new Dictionary<string, string[]> { ["code"] = [WrongCode] });
        return
        [
            new MfaEnrolled(state.Id, command.ProtectedSecret, [.. command.RecoveryCodes.Select(RecoveryCodes.Hash)], command.At),
            new MfaCodeAccepted(state.Id, step, command.At),
        ];
    }

    /// <summary>
    /// The second step of a sign-in: a code from the app (each time step once only) or an unused recovery code. Nothing
    /// when neither matches. <paramref name="secret"/> is null when the protected secret cannot be read.
    /// </summary>
    public static IReadOnlyList<object> SecondStep(string code, byte[]? secret, Account state, DateTimeOffset now)
    {
        if (state.Mfa is not { } mfa || !state.CanSignIn)
            return [];
        if (RecoveryCodes.LooksLikeOne(code))
        {
            var hash = RecoveryCodes.Hash(code);
            return mfa.RecoveryCodeHashes.Contains(hash) ? [new MfaRecoveryCodeUsed(state.Id, hash, now)] : [];
        }
        return secret is not null && TotpCodes.Verify(secret, code, now, mfa.LastTimeStep) is { } step
            ? [new MfaCodeAccepted(state.Id, step, now)]
            : [];
    }

    /// <summary>An administrator removes someone's second factor (a lost phone, no recovery code left): audited, sessions end.</summary>
    public static IReadOnlyList<object> Reset(string resetBy, Account state, DateTimeOffset at)
    {
        if (state.Mfa is null)
            throw new BusinessRuleViolation("Ce compte n'a pas de double authentification à réinitialiser.");
        return [new MfaReset(state.Id, resetBy, at)];
    }
}
