//! Parsing the filters IdPs send (RFC 7644 §3.4.2.2): the match query on every user, a long
//! `and`/`or` chain, and a value-path filter.

use scimsim::scim::Filter;

/// Entra's and Okta's match query, sent once per user (entra-wire.md §1.2, okta-wire.md).
const USER_NAME_EQ: &str = r#"userName eq "alice@contoso.com""#;

/// A chain of comparisons joined by `and` and `or`, with a parenthesized group.
const AND_OR_CHAIN: &str = concat!(
    r#"userName eq "alice@contoso.com" or (externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef" and active eq true)"#,
    r#" or emails.value co "@contoso.com" and meta.lastModified gt "2024-01-01T00:00:00Z" and title pr"#,
);

/// A filter on the elements of a multi-valued attribute.
const VALUE_PATH: &str = r#"emails[type eq "work" and value ew "@contoso.com"] and active eq true"#;

fn parse(text: &str) -> Filter {
    divan::black_box(text).parse().expect("a valid filter")
}

/// `userName eq "…"`.
#[divan::bench]
fn user_name_eq() -> Filter {
    parse(USER_NAME_EQ)
}

/// Six comparisons under `and`, `or` and parentheses.
#[divan::bench]
fn and_or_chain() -> Filter {
    parse(AND_OR_CHAIN)
}

/// `emails[type eq "work" and value ew "…"] and …`.
#[divan::bench]
fn value_path() -> Filter {
    parse(VALUE_PATH)
}
