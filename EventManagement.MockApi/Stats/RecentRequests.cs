namespace EventManagement.MockApi.Stats;

/// <summary>
/// The last <see cref="Capacity"/> requests to the routes that stand in for the external API, with the
/// <c>traceparent</c> each carried: lets a test or an operator check that the Api's traces reach the external API.
/// </summary>
internal sealed class RecentRequests
{
    /// <summary>How many requests are kept; older ones are forgotten first.</summary>
    public const int Capacity = 256;

    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _requests = new(Capacity);

    public void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            if (_requests.Count == Capacity)
            {
                _requests.Dequeue();
            }

            _requests.Enqueue(request);
        }
    }

    /// <summary>The kept requests, oldest first.</summary>
    public RecordedRequest[] Read()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
