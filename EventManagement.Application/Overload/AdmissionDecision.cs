namespace EventManagement.Application.Overload;

/// <summary>Where a <see cref="LookupPlan"/> stands with admission.</summary>
internal enum AdmissionDecision
{
    /// <summary>No lookup of it has reached the external API yet.</summary>
    Undecided,

    /// <summary>It fits: its lookups are sent.</summary>
    Admitted,

    /// <summary>It cannot finish in time: none of its lookups is sent.</summary>
    Refused,
}
