//! At the end of a scenario: its exchanges written as JSON Lines when the run asked for
//! transcripts (`--transcript DIR`), and what it created on a named target removed.

use std::io::Write as _;
use std::path::PathBuf;

use crate::idp::directory::ObjectKind;

use super::snapshot::slug;
use super::world::ScimWorld;

/// Where a scenario's transcript goes: `<dir>/<feature>/<scenario>.jsonl`.
fn transcript_path(world: &ScimWorld) -> Option<PathBuf> {
    let info = world.info.as_ref()?;
    let dir = info.config.transcripts.as_ref()?;
    let feature = info.feature.file_stem().map_or_else(|| "feature".into(), |s| slug(&s.to_string_lossy()));
    Some(dir.join(feature).join(format!("{}.jsonl", info.snapshot_name)))
}

/// Writes the transcript (a failure to write is reported on stderr; the scenario's verdict
/// stands) and removes what the scenario created on a named target.
pub(crate) async fn finish_scenario(world: &mut ScimWorld) {
    if let (Some(path), Some(idp)) = (transcript_path(world), world.idp.as_ref()) {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::File::create(&path))
            .map_err(|e| e.to_string())
            .and_then(|file| idp.transcript().write_jsonl(std::io::BufWriter::new(file)).map_err(|e| e.to_string()));
        if let Err(error) = written {
            warn(&format!("transcript {}: {error}", path.display()));
        }
    }
    if !world.embedded() {
        remove_created(world).await;
    }
}

/// Deletes the groups, then the users, the IdP linked on a shared target, then what the
/// scenario created there itself. A target that
/// refuses is reported, not retried: the names carry the run's prefix, so leftovers are easy
/// to find.
async fn remove_created(world: &mut ScimWorld) {
    let Some(target) = world.target.as_ref() else { return };
    let mut paths: Vec<String> = Vec::new();
    if let Some(idp) = world.idp.as_ref() {
        let mut links: Vec<_> = idp.links().iter().collect();
        links.sort_by_key(|l| l.kind == ObjectKind::User);
        paths.extend(links.iter().map(|l| {
            let endpoint = if l.kind == ObjectKind::User { "Users" } else { "Groups" };
            format!("{endpoint}/{}", l.target_id)
        }));
    }
    paths.extend(world.created.iter().rev().filter(|p| !paths.contains(p)).cloned().collect::<Vec<_>>());
    for path in paths {
        let url = format!("{}/{path}", target.url);
        match target.http.delete(&url).bearer_auth(&target.token).send().await {
            Ok(response) if response.status().is_success() || response.status().as_u16() == 404 => {}
            Ok(response) => warn(&format!("cleaning up: DELETE {url}: HTTP {}", response.status().as_u16())),
            Err(error) => warn(&format!("cleaning up: DELETE {url}: {error}")),
        }
    }
}

/// A warning on stderr: the run goes on.
fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}
