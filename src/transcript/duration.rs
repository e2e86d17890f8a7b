//! ISO 8601 durations for `scheduled_at`, the virtual time since a run started.

use std::fmt::Write as _;
use std::time::Duration;

/// Writes `d` as an ISO 8601 duration (`PT0S`, `PT40M`, `PT1H20M`, `P1DT6H`, `PT0.5S`), the
/// form `scheduled_at` takes in transcripts: it reads as Entra's 40-minute cycles and Okta's
/// back-offs do. A day is 24 hours (virtual time has no calendar); fractions appear only on
/// seconds, without trailing zeros.
pub fn iso8601_duration(d: Duration) -> String {
    let total = d.as_secs();
    let nanos = d.subsec_nanos();
    let (days, hours, minutes, seconds) = (total / 86_400, total / 3_600 % 24, total / 60 % 60, total % 60);
    // Room for the durations a run has (`PT0S`, `P1DT6H`) in one allocation.
    let mut out = String::with_capacity(16);
    out.push('P');
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    let has_time = hours > 0 || minutes > 0 || seconds > 0 || nanos > 0;
    if !has_time {
        if days == 0 {
            out.push_str("T0S");
        }
        return out;
    }
    out.push('T');
    if hours > 0 {
        let _ = write!(out, "{hours}H");
    }
    if minutes > 0 {
        let _ = write!(out, "{minutes}M");
    }
    if nanos > 0 {
        let fraction = format!("{nanos:09}");
        let _ = write!(out, "{seconds}.{}S", fraction.trim_end_matches('0'));
    } else if seconds > 0 {
        let _ = write!(out, "{seconds}S");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let cases = [
            (Duration::ZERO, "PT0S"),
            (Duration::from_secs(40 * 60), "PT40M"),
            (Duration::from_secs(80 * 60), "PT1H20M"),
            (Duration::from_secs(30 * 3_600), "P1DT6H"),
            (Duration::from_millis(500), "PT0.5S"),
            (Duration::from_secs(86_400), "P1D"),
            (Duration::from_secs(90_061), "P1DT1H1M1S"),
            (Duration::from_secs(300), "PT5M"),
            (Duration::from_millis(61_250), "PT1M1.25S"),
            (Duration::from_nanos(1), "PT0.000000001S"),
            (Duration::from_secs(3_600), "PT1H"),
        ];
        for (d, want) in cases {
            assert_eq!(iso8601_duration(d), want, "{d:?}");
        }
    }
}
