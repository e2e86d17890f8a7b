//! What several benchmarks need: the user Entra creates, as it sends it.

use scimsim::scim::urn;
use serde_json::{Value, json};

/// The `POST /Users` body Entra sends for user number `n` (`userName` unique per `n`):
/// Microsoft's sample (entra-wire.md §1.2: both schemas listed, `meta.resourceType`, an empty
/// `roles`) with what the default mappings fill in for a typical employee, enterprise
/// extension included.
pub fn entra_user(n: usize) -> Value {
    let name = format!("user{n:06}");
    json!({
        "schemas": [urn::USER, urn::ENTERPRISE_USER],
        "externalId": name,
        "userName": format!("{name}@contoso.com"),
        "active": true,
        "displayName": format!("Given Surname{n}"),
        "title": "Engineer",
        "emails": [{"primary": true, "type": "work", "value": format!("{name}@contoso.com")}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": format!("Given Surname{n}"), "familyName": format!("Surname{n}"), "givenName": "Given"},
        "phoneNumbers": [{"type": "work", "value": "+1 425 555 0100"}],
        "addresses": [{"type": "work", "streetAddress": "1 Microsoft Way", "postalCode": "98052"}],
        "roles": [],
        urn::ENTERPRISE_USER: {"department": format!("Department {}", n % 17), "employeeNumber": format!("{n}")},
    })
}
