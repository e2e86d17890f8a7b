//! The reads that show what an exchange left behind: later answered `GET`s of the same
//! resource, up to the next write to it (which would change what they show).

use crate::transcript::Exchange;

use super::operation::{Operation, ResourceMethod, ResourceRef};
use super::outcome::is_success;

/// The exchanges that succeeded, with their index: the writes whose effect later reads show.
pub(super) fn successes(exchanges: &[Exchange]) -> impl Iterator<Item = (usize, &Exchange)> {
    exchanges.iter().enumerate().filter(|(_, e)| e.response.as_ref().is_some_and(|r| is_success(r.status)))
}

/// The exchanges after `exchanges[index]` that read `resource` and were answered, stopping at
/// the first later `PUT`, `PATCH` or `DELETE` of it.
pub(super) fn reads_after<'e>(
    exchanges: &'e [Exchange],
    index: usize,
    resource: ResourceRef<'e>,
) -> impl Iterator<Item = &'e Exchange> + 'e {
    let reads = move |exchange: &Exchange| match Operation::of(&exchange.request) {
        Operation::OnResource { method, resource: named } if named.is(&resource) => {
            Some(method == ResourceMethod::Read)
        }
        _ => None,
    };
    exchanges
        .get(index + 1..)
        .unwrap_or_default()
        .iter()
        .map(move |exchange| (exchange, reads(exchange)))
        .take_while(|(_, reads)| *reads != Some(false))
        .filter_map(|(exchange, reads)| (reads == Some(true) && exchange.response.is_some()).then_some(exchange))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::Traffic;

    #[test]
    fn reads_stop_at_the_next_write() {
        let mut traffic = Traffic::entra();
        traffic.patch("/Users/1", json!([])).answer(204, None);
        traffic.get("/Users/2").answer(200, json!({}));
        traffic.get("/users/1").answer(200, json!({}));
        traffic.get("/Users/1");
        traffic.get("/Users/1").answer(404, None);
        traffic.put("/Users/1", json!({})).answer(200, json!({}));
        traffic.get("/Users/1").answer(200, json!({}));
        let exchanges = traffic.exchanges();
        let resource = Operation::of(&exchanges[0].request).resource().cloned().unwrap();
        let seqs: Vec<u64> = reads_after(exchanges, 0, resource).map(|e| e.seq).collect();
        assert_eq!(seqs, [3, 5]);
    }
}
