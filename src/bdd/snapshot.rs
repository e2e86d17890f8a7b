//! `Then the responses match the snapshot`: a scenario's exchanges, redacted so that they are
//! the same on every run, compared with insta under `<root>/<idp>/<feature>/<scenario>.snap`.
//!
//! Redacted: the target's ids (each distinct id becomes `[id-1]`, `[id-2]`, … in order of first
//! appearance, so "the PATCH went to the id the POST returned" still shows), timestamps and
//! versions in `meta` (of responses, and of requests that echo it, as Okta's PUT does), ETags,
//! the target's base URL in `meta.location` and `$ref`, the scenario's name prefix, and secrets
//! (already `[redacted]` in the transcript). Volatile headers (`date`, `content-length`) and
//! timings are left out.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::transcript::{Exchange, IdPlaceholders, StableForm};

use super::bundled_snapshot;
use super::world::ScimWorld;

/// The snapshot form of a scenario's exchanges (see [`StableForm`]): ids numbered over the
/// whole scenario, the target's URL and the run's prefix replaced.
pub(crate) fn redact(exchanges: &[Exchange], target_url: &str, run_neutral: &[(String, String)]) -> Value {
    let ids = IdPlaceholders::of_responses(exchanges);
    let target_urls = [target_url.to_string()];
    let form = StableForm { ids: &ids, target_urls: &target_urls, renames: run_neutral };
    Value::Array(exchanges.iter().map(|exchange| form.exchange(exchange)).collect())
}

/// A file-name form of a scenario or feature name: lower case, `_` between words.
pub(crate) fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    slug.trim_end_matches('_').to_string()
}

/// Compares the scenario's exchanges with its snapshot.
pub(crate) fn check(world: &mut ScimWorld) -> Result<(), String> {
    let info = world.info()?.clone();
    let idp = world.idp()?;
    let idp_name = idp.name();
    let exchanges = idp.transcript().exchanges().to_vec();
    let target_url = world.target.as_ref().map(|t| t.url.clone()).unwrap_or_default();
    let value = redact(&exchanges, &target_url, &world.run_neutral_pairs());
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    let feature = info.feature.file_stem().map_or_else(|| "feature".into(), |s| slug(&s.to_string_lossy()));
    let dir = info.config.snapshots.root.join(idp_name).join(&feature);
    let name = info.snapshot_name.clone();
    let file = dir.join(format!("{name}.snap"));
    if !file.exists() {
        if info.config.snapshots.record_missing {
            return record_new(&file, &info.feature, &info.name, &text);
        }
        let relative = format!("{idp_name}/{feature}/{name}.snap");
        if let Some(expected) =
            info.config.snapshots.bundled_fallback.then(|| bundled_snapshot::find(&relative)).flatten()
        {
            return bundled_snapshot::compare(&relative, expected, &text);
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(&info.feature);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name.as_str(), text));
    }));
    outcome.map_err(|_| {
        format!(
            "the exchanges differ from {} (insta printed the difference above); {}",
            file.display(),
            review_hint(&info.config.snapshots.root)
        )
    })
}

/// How to accept a wanted change: `cargo insta review` from the Cargo project that holds the
/// snapshots (it finds pending ones only inside a package), otherwise by hand.
fn review_hint(root: &Path) -> String {
    match root.ancestors().find(|dir| dir.join("Cargo.toml").is_file()) {
        Some(project) => format!("accept a wanted change with `cargo insta review` in {}", project.display()),
        None => format!(
            "accept a wanted change by moving the .snap.new over the .snap (`cargo insta review` needs the \
             snapshots inside a Cargo project; {} is not)",
            root.display()
        ),
    }
}

/// Writes a first snapshot for a target that has none yet, in insta's file format.
fn record_new(file: &PathBuf, feature: &Path, scenario: &str, text: &str) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let contents = format!("---\nsource: {}\nexpression: {scenario:?}\n---\n{text}\n", feature.display());
    std::fs::write(file, contents).map_err(|e| format!("{}: {e}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_is_accepted_with_cargo_insta_only_inside_a_cargo_project() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let hint = review_hint(&repo.join("snapshots/tenants/staging.example.com"));
        assert_eq!(hint, format!("accept a wanted change with `cargo insta review` in {}", repo.display()));
        assert!(review_hint(Path::new("/nonexistent/qa")).contains("moving the .snap.new over the .snap"));
    }

    #[test]
    fn ids_keep_their_identity_and_volatile_values_go() {
        let created = json!({"id": "8f3c", "userName": "s9-alice", "meta": {"created": "2026-11-22T13:19:33.380Z",
            "version": "W/\"1\"", "location": "http://127.0.0.1:4000/scim/v2/Users/8f3c"}});
        let exchanges = [
            Exchange::answered("POST", "/Users", 201, Some(created)),
            Exchange::answered("PATCH", "/Users/8f3c", 204, Some(Value::Null)),
        ];
        let value = redact(&exchanges, "http://127.0.0.1:4000/scim/v2", &[("s9-".into(), String::new())]);
        assert_eq!(value[0]["response"]["body"]["id"], "[id-1]");
        assert_eq!(value[1]["request"]["path"], "/Users/[id-1]", "the PATCH went to the id the POST returned");
        assert_eq!(value[0]["response"]["body"]["userName"], "alice");
        assert_eq!(value[0]["response"]["body"]["meta"]["created"], "[timestamp]");
        assert_eq!(value[0]["response"]["body"]["meta"]["version"], "[etag]");
        assert_eq!(value[0]["response"]["body"]["meta"]["location"], "[target]/Users/[id-1]");
        assert_eq!(value[0]["response"]["headers"], json!({"etag": "[etag]"}));
        assert!(value[0].get("elapsed_ms").is_none());
    }

    #[test]
    fn a_request_that_echoes_meta_is_redacted_too() {
        let read = json!({"id": "8f3c", "meta": {"created": "2026-11-22T13:19:33.380Z", "version": "W/\"1\""}});
        let mut put = Exchange::answered("PUT", "/Users/8f3c", 200, Some(read.clone()));
        put.request.body = Some(read.clone());
        let value = redact(
            &[Exchange::answered("GET", "/Users/8f3c", 200, Some(read)), put],
            "http://h",
            &[("s9-".into(), String::new())],
        );
        assert_eq!(value[1]["request"]["body"]["meta"], json!({"created": "[timestamp]", "version": "[etag]"}));
        assert_eq!(value[1]["request"]["body"]["id"], "[id-1]");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Alice is disabled, then re-enabled (legacy)"), "alice_is_disabled_then_re_enabled_legacy");
    }
}
