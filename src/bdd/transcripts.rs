//! At the end of a scenario: its exchanges written as JSON Lines when the run asked for
//! transcripts (`--transcript DIR`), and what it created on a named target handed to the
//! run's [`RunCleanup`](super::run_cleanup::RunCleanup).

use std::io::Write as _;

use crate::transcript::Exchange;

use crate::target::CreatedObject;

use super::snapshot::slug;
use super::world::ScimWorld;

/// A scenario's transcript file relative to the transcript directory: the feature's path
/// below its `features/` directory without extension (just its name for a file elsewhere),
/// then the scenario: `entra/groups/a_group_is_created.jsonl`, so Entra's and Okta's
/// `reactions` stay apart.
fn transcript_file(world: &ScimWorld) -> Option<String> {
    let info = world.info.as_ref()?;
    let components: Vec<String> =
        info.feature.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let below = match components.iter().rposition(|c| c == "features") {
        Some(at) => &components[at + 1..],
        None => &components[components.len().saturating_sub(1)..],
    };
    let mut parts: Vec<String> = below.iter().map(|p| slug(p)).filter(|p| !p.is_empty()).collect();
    parts.push(format!("{}.jsonl", info.snapshot_name));
    Some(parts.join("/"))
}

/// Writes the transcript when the run asked for transcripts (a failure to write is reported
/// on stderr; the scenario's verdict stands) and removes what the scenario created on a named
/// target. Returns the transcript's path relative to the transcript directory, when written.
pub(crate) async fn finish_scenario(world: &mut ScimWorld) -> Option<String> {
    let mut written_file = None;
    let dir = world.info.as_ref().and_then(|i| i.config.transcripts.clone());
    if let (Some(dir), Some(file), Some(idp)) = (dir, transcript_file(world), world.idp.as_ref()) {
        let path = dir.join(&file);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::File::create(&path))
            .map_err(|e| e.to_string())
            .and_then(|file| idp.transcript().write_jsonl(std::io::BufWriter::new(file)).map_err(|e| e.to_string()));
        match written {
            Ok(()) => written_file = Some(file),
            Err(error) => warn(&format!("transcript {}: {error}", path.display())),
        }
    }
    let created = world.take_created();
    if let Some(info) = &world.info {
        info.cleanup.scenario_finished(created).await;
    }
    written_file
}

/// `Users/<id>` and `Groups/<id>` of every object a `201 Created` answered in `exchanges`.
pub(crate) fn created_by(exchanges: &[Exchange]) -> Vec<String> {
    exchanges
        .iter()
        .filter_map(|e| {
            let response = e.response.as_ref()?;
            CreatedObject::of(&e.request.method, &e.request.path, response.status, response.body.as_ref())
        })
        .map(|created| created.to_string())
        .collect()
}

/// A warning on stderr: the run goes on.
fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Exchange;
    use serde_json::json;

    #[test]
    fn every_created_object_is_found_linked_or_not() {
        // Transcript paths are relative to the base URL (DESIGN.md "Transcript").
        let exchanges = [
            Exchange::answered("POST", "/Users", 201, Some(json!({"id": "u1"}))),
            Exchange::answered("POST", "/Users", 409, Some(json!({"status": "409"}))),
            Exchange::answered("GET", "/Users/u1", 200, Some(json!({"id": "u1"}))),
            Exchange::answered("POST", "/Groups", 201, Some(json!({"id": "g1"}))),
            Exchange::answered("POST", "/Users/.search", 200, Some(json!({"id": "x"}))),
        ];
        assert_eq!(created_by(&exchanges), ["Users/u1", "Groups/g1"]);
    }
}
