//! Latency and status counts per operation of a load run (`POST /Users`, `GET /Users?filter`,
//! `PATCH /Groups/{id}`, …), in HDR histograms so percentiles stay exact to 3 significant
//! digits in constant memory however many requests there are.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;

use crate::transcript::Exchange;

/// The slowest latency a histogram records exactly: an hour, in microseconds (anything
/// slower is recorded as this).
const MAX_MICROS: u64 = 3_600_000_000;

/// One operation's latencies and outcomes.
#[derive(Debug, Clone)]
pub struct OperationStats {
    latency: Histogram<u64>,
    /// Answers by status code.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests with no answer (refused, timed out, cut off).
    pub transport_errors: u64,
}

impl OperationStats {
    fn new() -> Self {
        // Fails only for a precision above 5. The histogram grows to the slowest latency
        // recorded (at most MAX_MICROS), at the same resolution: a table of fast requests
        // holds kilobytes, not the hour's range made and zeroed for every job.
        let latency = Histogram::new(3).expect("3 significant digits is a valid precision");
        Self { latency, statuses: BTreeMap::new(), transport_errors: 0 }
    }

    /// Requests sent.
    pub fn count(&self) -> u64 {
        self.latency.len()
    }

    /// The latency in milliseconds below which `quantile` (0.5, 0.99, …) of the requests fell.
    pub fn percentile_ms(&self, quantile: f64) -> f64 {
        self.latency.value_at_quantile(quantile) as f64 / 1000.0
    }

    /// The slowest request, in milliseconds.
    pub fn max_ms(&self) -> f64 {
        self.latency.max() as f64 / 1000.0
    }
}

/// Every operation of a run, by name.
#[derive(Debug, Clone, Default)]
pub struct OperationTable {
    /// Operation name → its stats, in name order.
    pub operations: BTreeMap<String, OperationStats>,
}

impl OperationTable {
    /// Records one exchange.
    pub fn record(&mut self, exchange: &Exchange) {
        let stats = self.operations.entry(operation(exchange)).or_insert_with(OperationStats::new);
        let micros = (exchange.elapsed_ms * 1000.0).round().clamp(1.0, MAX_MICROS as f64) as u64;
        let _ = stats.latency.record(micros);
        match &exchange.response {
            Some(response) => *stats.statuses.entry(response.status).or_default() += 1,
            None => stats.transport_errors += 1,
        }
    }

    /// Adds `other`'s counts to this table's.
    pub fn merge(&mut self, other: &OperationTable) {
        for (name, theirs) in &other.operations {
            let ours = self.operations.entry(name.clone()).or_insert_with(OperationStats::new);
            let _ = ours.latency.add(&theirs.latency);
            for (status, count) in &theirs.statuses {
                *ours.statuses.entry(*status).or_default() += count;
            }
            ours.transport_errors += theirs.transport_errors;
        }
    }

    /// Requests over all operations.
    pub fn requests(&self) -> u64 {
        self.operations.values().map(OperationStats::count).sum()
    }

    /// Answers of `status` over all operations.
    pub fn answers(&self, status: u16) -> u64 {
        self.operations.values().filter_map(|stats| stats.statuses.get(&status)).sum()
    }
}

/// An exchange's operation: method and path with ids as `{id}`, `?filter` for a query with a
/// filter, `?page` for a paged listing.
fn operation(exchange: &Exchange) -> String {
    let request = &exchange.request;
    let mut path = request.path.trim_matches('/').split('/');
    let mut name = String::with_capacity(32);
    name.push_str(&request.method);
    name.push_str(" /");
    name.push_str(path.next().unwrap_or_default());
    if path.next().is_some() {
        name.push_str("/{id}");
    }
    match request.query.as_deref() {
        Some(query) if query.contains("filter=") => name.push_str("?filter"),
        Some(query) if query.contains("startIndex=") => name.push_str("?page"),
        _ => {}
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{RecordedRequest, RecordedResponse};

    fn exchange(method: &str, path: &str, query: Option<&str>, status: Option<u16>, ms: f64) -> Exchange {
        Exchange {
            seq: 1,
            idp: "entra".into(),
            dialect: "legacy".into(),
            scenario: String::new(),
            step: String::new(),
            scheduled_at: "PT0S".into(),
            request: RecordedRequest {
                method: method.into(),
                path: path.into(),
                query: query.map(str::to_string),
                headers: Default::default(),
                body: None,
            },
            response: status.map(|status| RecordedResponse { status, headers: Default::default(), body: None }),
            error: None,
            elapsed_ms: ms,
        }
    }

    #[test]
    fn operations_percentiles_and_merging() {
        let mut table = OperationTable::default();
        for ms in 1..=100 {
            table.record(&exchange("GET", "/Users", Some("filter=userName+eq+%22a%22"), Some(200), f64::from(ms)));
        }
        table.record(&exchange("PATCH", "/Groups/8f3c", None, Some(204), 5.0));
        table.record(&exchange("POST", "/Users", None, None, 60_000.0));
        let get = &table.operations["GET /Users?filter"];
        assert_eq!(get.count(), 100);
        assert!((get.percentile_ms(0.5) - 50.0).abs() < 0.1 && (get.percentile_ms(0.99) - 99.0).abs() < 0.1);
        assert!((get.max_ms() - 100.0).abs() < 0.1);
        assert_eq!(table.operations["PATCH /Groups/{id}"].statuses[&204], 1);
        assert_eq!(table.operations["POST /Users"].transport_errors, 1);
        assert_eq!((table.answers(200), table.answers(204), table.answers(429)), (100, 1, 0));
        // Anything slower than an hour is recorded as an hour.
        table.record(&exchange("DELETE", "/Users/1", None, Some(204), 2.0 * 3_600_000.0));
        let hour = table.operations["DELETE /Users/{id}"].max_ms();
        assert!((hour - 3_600_000.0).abs() / 3_600_000.0 < 1e-3, "{hour}");
        let mut total = OperationTable::default();
        total.merge(&table);
        total.merge(&table);
        assert_eq!(total.requests(), 206);
    }
}
