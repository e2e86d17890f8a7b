//! A request rate shared by every client of a load run: `--rate 25` lets at most 25 requests
//! a second start, however many IdP jobs send at once (Entra's gallery apps must sustain 25
//! requests per second per tenant, entra-wire.md §4.4). Requests are spaced evenly rather than sent in
//! bursts, as a throttled IdP sends them.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Spaces request starts `1 / rate` seconds apart.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    /// When the next request may start.
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer letting `per_second` requests start each second (more than zero).
    pub fn new(per_second: f64) -> Self {
        let interval = Duration::try_from_secs_f64(1.0 / per_second.max(f64::MIN_POSITIVE)).unwrap_or(Duration::MAX);
        Self { interval, next: Mutex::new(None) }
    }

    /// Waits until this request may start: each caller takes the next free slot.
    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |at| at.max(now));
            *next = Some(slot.checked_add(self.interval).unwrap_or(slot));
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_start_evenly_spaced() {
        let pacer = Pacer::new(25.0);
        let started = Instant::now();
        for _ in 0..26 {
            pacer.wait().await;
        }
        // The first goes at once, the 26th one second later.
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }
}
