//! A request rate shared by every client of a load run: `--rate 25` lets at most 25 requests
//! a second start, however many IdP jobs send at once (Entra's gallery apps must sustain 25
//! requests per second per tenant, entra-wire.md §4.4). Requests are spaced evenly rather than sent in
//! bursts, as a throttled IdP sends them.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The resolution of Tokio's timer: a sleep ends on the first millisecond tick at or after
/// its deadline.
const TIMER_TICK: Duration = Duration::from_millis(1);

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

    /// Waits until this request may start: each caller takes the next free slot, and none
    /// starts before its slot. A sleep ends up to a timer tick late, so a slot missed by
    /// less than a tick is still taken, at once: the rate holds over any span longer than a
    /// tick. Sleeping even for a slot that had come, and dropping the missed ones, held each
    /// job a tick per request, which kept `--rate 20000` at about 5,000 requests a second
    /// where unpaced jobs sent 38,000.
    pub async fn wait(&self) {
        let (slot, now) = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            // Slots missed by less than a tick are still taken: a sleep overshoots by up to one.
            let slot = next.map_or(now, |at| at.max(now.checked_sub(TIMER_TICK).unwrap_or(now)));
            *next = Some(slot.checked_add(self.interval).unwrap_or(slot));
            (slot, now)
        };
        if slot > now {
            tokio::time::sleep_until(slot).await;
        }
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

    /// Above the timer's resolution the rate still holds over a second: the 10,001st slot at
    /// 10,000 a second starts a second after the first, a tick late at most.
    #[tokio::test(start_paused = true)]
    async fn a_rate_above_the_tick_still_holds_over_a_second() {
        let pacer = Pacer::new(10_000.0);
        let started = Instant::now();
        for _ in 0..10_001 {
            pacer.wait().await;
        }
        let took = started.elapsed();
        assert!(Duration::from_secs(1) <= took && took <= Duration::from_secs(1) + TIMER_TICK, "{took:?}");
    }

    /// Eight jobs at a million requests a second take their 16,000 slots in about 16 ms: the
    /// slots a sleep overshot are taken at once, not each after a tick of its own (which made
    /// the waits take over a second).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_rate_above_the_timer_tick_is_reached() {
        let pacer = std::sync::Arc::new(Pacer::new(1_000_000.0));
        let started = std::time::Instant::now();
        let mut jobs = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let pacer = std::sync::Arc::clone(&pacer);
            jobs.spawn(async move {
                for _ in 0..2_000 {
                    pacer.wait().await;
                }
            });
        }
        while let Some(job) = jobs.join_next().await {
            job.expect("a job");
        }
        let took = started.elapsed();
        assert!(took < Duration::from_millis(500), "16,000 slots at 1,000,000/s took {took:?}");
    }
}
