//! The transport envelope of every Entra request (entra-wire.md §0): the paths Entra appends
//! to the Tenant URL, its form-encoded filters, and its headers.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{self, HeaderName};

use crate::idp::directory::push_stable_guid;
use crate::scim::format_timestamp;
use crate::target::{OutgoingRequest, RequestBody, RequestHeader};

use super::settings::Options;

/// The body media type Entra sends (entra-wire.md §0).
pub const CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";

/// The name of Entra's `ADSCIMVersion` header, as it goes on the wire (lower-case).
static ADSCIM_VERSION: HeaderName = HeaderName::from_static("adscimversion");

/// The `Content-Type` header of requests with a body: made once, and each request gets a
/// clone, which shares its bytes.
static CONTENT_TYPE_HEADER: RequestHeader = RequestHeader::from_static(header::CONTENT_TYPE, CONTENT_TYPE);

/// Builds Entra's requests for one job.
#[derive(Debug, Clone)]
pub struct Envelope {
    options: Options,
    /// The headers every request carries, from the options (`Accept`, `User-Agent`), made
    /// once: each request gets a clone, which shares their bytes.
    fixed: Vec<RequestHeader>,
    /// Query parameters of the Tenant URL that every request carries.
    tenant_query: Option<String>,
    /// The last virtual time stamped and its date: a cycle's requests mostly share one.
    date: Option<(Duration, String)>,
    /// The last request's ActivityId seed, its buffer reused for the next.
    seed: String,
}

/// A filter as Entra writes it in a URL: `attr eq "value"`, form-encoded with `+` for spaces
/// and `%22` for quotes (`filter=userName+eq+%22jdoe%40contoso.com%22`, entra-wire.md §0).
pub fn filter_pair(attribute: &str, value: &str) -> String {
    let mut filter = String::with_capacity(attribute.len() + value.len() + 8);
    filter.push_str(attribute);
    filter.push_str(" eq \"");
    // Backslashes and quotes are escaped; the runs between them are copied whole.
    let mut rest = value;
    while let Some(at) = rest.find(['\\', '"']) {
        filter.push_str(&rest[..at]);
        filter.push('\\');
        filter.push_str(&rest[at..=at]);
        rest = &rest[at + 1..];
    }
    filter.push_str(rest);
    filter.push('"');
    form_urlencoded::Serializer::new(String::with_capacity(filter.len() * 2)).append_pair("filter", &filter).finish()
}

/// Writes what a request's ActivityId is derived from, `cycle-<cycle>-request-<seq>`, into
/// `seed` in place of what it held. Written digit by digit rather than formatted, into a buffer
/// kept for the next: every request makes one.
fn write_activity_seed(seed: &mut String, cycle: u32, seq: u64) {
    let mut digits = itoa::Buffer::new();
    seed.clear();
    seed.push_str("cycle-");
    seed.push_str(digits.format(cycle));
    seed.push_str("-request-");
    seed.push_str(digits.format(seq));
}

impl Envelope {
    /// An envelope with `options`, adding `tenant_query` to every request.
    pub fn new(options: Options, tenant_query: Option<String>) -> Self {
        // Made from the names as Entra writes them: a value that cannot be sent is reported
        // under that name.
        let accept = options.accept.as_deref().map(|accept| RequestHeader::new("Accept", accept));
        let agent = options.user_agent.as_deref().map(|agent| RequestHeader::new("User-Agent", agent));
        let fixed = accept.into_iter().chain(agent).collect();
        Self { options, fixed, tenant_query, date: None, seed: String::new() }
    }

    fn query(&self, own: Option<String>) -> Option<String> {
        match (&self.tenant_query, own) {
            (None, own) => own,
            (Some(tenant), None) => Some(tenant.clone()),
            (Some(tenant), Some(own)) => Some(format!("{tenant}&{own}")),
        }
    }

    /// A request with Entra's headers. `now` is the virtual time; `cycle` and `seq` number
    /// the request, and its ActivityId is a stable GUID of them (both go into
    /// `ADSCIMVersion`).
    pub fn request(
        &mut self,
        method: Method,
        path: &str,
        query: Option<String>,
        body: Option<RequestBody>,
        now: Duration,
        (cycle, seq): (u32, u64),
    ) -> OutgoingRequest {
        let mut request = OutgoingRequest::new(method, path);
        if let Some(query) = self.query(query) {
            request = request.with_query(query);
        }
        // Room for the fixed headers, ADSCIMVersion and Content-Type at once.
        let mut headers = Vec::with_capacity(self.fixed.len() + 2);
        headers.extend_from_slice(&self.fixed);
        if self.options.adscim_version_header {
            // The value format is not documented; third-party notes describe a date and an
            // ActivityId (entra-wire.md §0).
            let date = self.date(now);
            let mut value = String::with_capacity("Date:, ActivityId:".len() + date.len() + 36);
            value.push_str("Date:");
            value.push_str(date);
            value.push_str(", ActivityId:");
            write_activity_seed(&mut self.seed, cycle, seq);
            push_stable_guid(&mut value, &self.seed);
            headers.push(RequestHeader::named(&ADSCIM_VERSION, value));
        }
        if body.is_some() {
            headers.push(CONTENT_TYPE_HEADER.clone());
        }
        request.headers = headers;
        if let Some(body) = body {
            request = request.with_body(body);
        }
        request
    }

    /// The date of virtual time `now`: the virtual time from 2026-01-01; past the last date
    /// there is (a feature's "When 9999999 days pass"), the last date.
    fn date(&mut self, now: Duration) -> &str {
        if self.date.as_ref().is_none_or(|(at, _)| *at != now) {
            let epoch = time::macros::datetime!(2026-01-01 0:00 UTC);
            let at = time::Duration::try_from(now).ok().and_then(|now| epoch.checked_add(now));
            let date = format_timestamp(at.unwrap_or(time::OffsetDateTime::new_utc(time::Date::MAX, time::Time::MAX)));
            self.date = Some((now, date));
        }
        self.date.as_ref().map_or("", |(_, date)| date.as_str())
    }

    /// The options this envelope follows.
    pub fn options(&self) -> &Options {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_are_form_encoded_like_entra() {
        assert_eq!(filter_pair("userName", "jdoe@contoso.com"), "filter=userName+eq+%22jdoe%40contoso.com%22");
        assert_eq!(
            filter_pair("displayName", "Sales & \"Ops\""),
            "filter=displayName+eq+%22Sales+%26+%5C%22Ops%5C%22%22"
        );
        assert_eq!(filter_pair("userName", r"a\b"), "filter=userName+eq+%22a%5C%5Cb%22");
        assert_eq!(filter_pair("userName", r#"\""#), "filter=userName+eq+%22%5C%5C%5C%22%22");
    }

    #[test]
    fn headers_and_tenant_query() {
        let mut envelope = Envelope::new(Options::default(), Some("tenant=7".into()));
        let get =
            envelope.request(Method::GET, "/Users", Some(filter_pair("userName", "a")), None, Duration::ZERO, (1, 1));
        assert_eq!(get.query.as_deref(), Some("tenant=7&filter=userName+eq+%22a%22"));
        assert!(get.headers.iter().all(|h| h.name() != "content-type"), "no body, no content type");
        let adscim = get.headers.iter().find(|h| h.name() == "adscimversion").unwrap();
        assert!(adscim.value().starts_with("Date:2026-01-01T00:00:00.000Z, ActivityId:"), "{}", adscim.value());
        let post = envelope.request(Method::POST, "/Users", None, Some(json!({}).into()), Duration::ZERO, (1, 2));
        assert!(post.headers.contains(&RequestHeader::new("Content-Type", CONTENT_TYPE)));
        assert!(post.headers.iter().all(|h| h.name() != "accept" && h.name() != "user-agent"));
    }

    #[test]
    fn accept_and_user_agent_come_from_the_options_in_that_order() {
        let options = Options {
            accept: Some("application/scim+json".into()),
            user_agent: Some("scimsim".into()),
            ..Options::default()
        };
        let mut envelope = Envelope::new(options, None);
        let get = envelope.request(Method::GET, "/Users", None, None, Duration::ZERO, (1, 1));
        let names: Vec<&str> = get.headers.iter().map(RequestHeader::name).collect();
        assert_eq!(names, ["accept", "user-agent", "adscimversion"]);
        assert_eq!(get.headers[0], RequestHeader::new("Accept", "application/scim+json"));
        let bad_agent = Options { user_agent: Some("line\nbreak".into()), ..Options::default() };
        let get = Envelope::new(bad_agent, None).request(Method::GET, "/Users", None, None, Duration::ZERO, (1, 1));
        assert_eq!(get.headers[0].sendable().unwrap_err().0, "User-Agent", "refused when sent, under its name");
    }

    #[test]
    fn the_activity_id_is_a_stable_guid_of_the_cycle_and_request_numbers() {
        let mut seed = "left over from before".to_string();
        write_activity_seed(&mut seed, 3, 41);
        assert_eq!(seed, "cycle-3-request-41");
        write_activity_seed(&mut seed, u32::MAX, u64::MAX);
        assert_eq!(seed, format!("cycle-{}-request-{}", u32::MAX, u64::MAX));
        let mut envelope = Envelope::new(Options::default(), None);
        let get = envelope.request(Method::GET, "/Users", None, None, Duration::ZERO, (3, 41));
        let mut guid = String::new();
        push_stable_guid(&mut guid, "cycle-3-request-41");
        assert_eq!(get.headers[0].value(), format!("Date:2026-01-01T00:00:00.000Z, ActivityId:{guid}"));
    }

    #[test]
    fn virtual_time_past_the_last_date_stays_at_it() {
        let mut envelope = Envelope::new(Options::default(), None);
        let late = envelope.request(Method::GET, "/Users", None, None, Duration::MAX, (1, 1));
        let adscim = late.headers.iter().find(|h| h.name() == "adscimversion").unwrap();
        assert!(adscim.value().starts_with("Date:9999-12-31T23:59:59.999Z, "), "{}", adscim.value());
        // The date follows the clock back as well as forward.
        let next_day = envelope.request(Method::GET, "/Users", None, None, Duration::from_secs(86_400), (1, 2));
        let adscim = next_day.headers.iter().find(|h| h.name() == "adscimversion").unwrap();
        assert!(adscim.value().starts_with("Date:2026-01-02T00:00:00.000Z, "), "{}", adscim.value());
    }
}
