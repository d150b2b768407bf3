namespace Coordination.Portal.Api;

// The guide of aids as the Directory answers it (see services/Directory/Aids).

public sealed record AidGrantorDto(Guid? OrganisationId, string Name);

public sealed record AidAmountDto(decimal? Min, decimal? Max, string? Note);

public sealed record AidContentDto(
    string Name, string Kind, AidGrantorDto Grantor, string Scope, string[] Departements, string[] Communes, string[] Needs,
    string[] Situations, string Eligibility, string HowToApply, string? DocumentsToBring, string? TypicalDelay, AidAmountDto Amount,
    string SourceUrl, DateOnly? AvailableFrom, DateOnly? AvailableUntil);

public sealed record PendingCorrectionDto(Guid CorrectionId, AidContentDto Content, string? Comment, string ProposedBy, DateTimeOffset ProposedAt);

public sealed record AidDetailsDto(
    Guid Id, AidContentDto Content, string Status, DateTimeOffset? LastVerifiedAt, string? LastVerifiedBy,
    PendingCorrectionDto[] PendingCorrections, string? WithdrawalReason, DateTimeOffset? WithdrawnAt, string ProposedBy,
    DateTimeOffset ProposedAt, DateTimeOffset UpdatedAt, long Version);

public sealed record AidSheetDto(AidDetailsDto Aid, bool ToVerify, bool MayModerate);

public sealed record AidFoundDto(AidDetailsDto Aid, bool ToVerify, string[] MatchedNeeds);

public sealed record AidsFoundDto(AidFoundDto[] Items, int Page, int PageSize, long Total);

public sealed record AidsToReviewDto(AidDetailsDto[] Proposals, AidDetailsDto[] Corrections, AidDetailsDto[] ToVerify, string[] ReferentOf);

public sealed record AidHistoryEntryDto(long Version, string Change, string By, DateTimeOffset At, string? Note, Guid? CorrectionId);

public sealed record AidsImportedDto(int Created, int Updated, int Unchanged);

public sealed record AidCreatedDto(Guid Id, string Status, long Version);

public sealed record AidsByDepartementRowDto(
    string Departement, string DepartementName, int LocalAids, int LocalStale, int KnownAids, int StaleAids, string[] NeedsWithoutLocalAid);

public sealed record AidsByDepartementDto(DateTimeOffset? AsOf, int NationalAids, int NationalStale, AidsByDepartementRowDto[] Rows);
