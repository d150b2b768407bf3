namespace Coordination.Training;

/// <summary>Field errors with French messages, collected before any decision.</summary>
public sealed class TrainingValidation : Coordination.ServiceDefaults.Http.FieldValidation;
