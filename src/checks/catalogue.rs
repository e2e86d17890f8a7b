//! The catalogue: every check, in the order reports list them.

use super::check::Check;
use super::rules;

/// Every check scimsim knows.
pub fn catalogue() -> Vec<Check> {
    rules::all()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::checks::Severity;

    #[test]
    fn ids_are_unique_upper_kebab() {
        let checks = catalogue();
        let ids: BTreeSet<&str> = checks.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), checks.len(), "an id is used twice");
        for id in ids {
            let kebab = id
                .split('-')
                .all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
            assert!(kebab, "{id} is not UPPER-KEBAB");
        }
    }

    #[test]
    fn titles_are_sentences_without_a_final_period() {
        for check in catalogue() {
            let first = check.title.chars().next().unwrap_or(' ');
            assert!(first.is_uppercase(), "{}: {:?}", check.id, check.title);
            assert!(
                !check.title.ends_with('.') && check.title.trim() == check.title,
                "{}: {:?}",
                check.id,
                check.title
            );
        }
    }

    #[test]
    fn sources_link_to_public_https_pages() {
        for check in catalogue() {
            let source = check.source;
            assert!(source.url.starts_with("https://"), "{}: {}", check.id, source.url);
            assert!(source.section.starts_with('§'), "{}: {}", check.id, source.section);
            let rfc = source.document.starts_with("RFC ");
            if rfc {
                let number = &source.document[4..];
                let anchor = format!("https://www.rfc-editor.org/rfc/rfc{number}#section-{}", &source.section[2..]);
                assert_eq!(source.url, anchor, "{}", check.id);
            }
            let idp_layer = matches!(check.severity, Severity::EntraRequires | Severity::OktaRequires);
            assert_eq!(idp_layer, !rfc, "{}: IdP needs cite the IdP documents, RFC rules the RFCs", check.id);
        }
    }
}
