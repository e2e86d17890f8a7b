//! `dateTime` values (RFC 7643 §2.3.5: an xsd:dateTime with both a date and a time).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Parses an xsd:dateTime such as `2008-01-23T04:56:22Z` or `2008-01-23T04:56:22.5+02:00`.
/// A value without a zone (allowed by xsd:dateTime) is read as UTC.
pub fn parse_date_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        let has_zone = text.ends_with(['Z', 'z']) || text.get(19..).is_some_and(|tail| tail.contains(['+', '-']));
        if has_zone { None } else { OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339).ok() }
    })
}

/// Formats an instant as the server writes `meta.created` / `meta.lastModified`:
/// UTC, millisecond precision, e.g. `2026-11-22T10:15:30.123Z`.
pub fn format_timestamp(at: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.to_offset(UtcOffset::UTC).format(&format).unwrap_or_else(|_| at.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_xsd_allows() {
        let z = parse_date_time("2008-01-23T04:56:22Z").unwrap();
        assert_eq!(parse_date_time("2008-01-23T06:56:22+02:00"), Some(z));
        assert_eq!(parse_date_time("2008-01-23T04:56:22"), Some(z));
        assert!(parse_date_time("2008-01-23T04:56:22.250Z").unwrap() > z);
    }

    #[test]
    fn rejects_dates_without_times_and_garbage() {
        for bad in ["2008-01-23", "yesterday", "2008-13-23T04:56:22Z", "2008-01-23T04:56:22+0200", ""] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_utc_with_milliseconds_and_round_trips() {
        let at = parse_date_time("2026-11-22T10:15:30.123456+01:00").unwrap();
        let text = format_timestamp(at);
        assert_eq!(text, "2026-11-22T09:15:30.123Z");
        assert!(parse_date_time(&text).is_some());
    }
}
