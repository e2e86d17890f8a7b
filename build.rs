//! Embeds the bundled feature files (features/**/*.feature) and their committed snapshots
//! (snapshots/<idp>/<feature>/*.snap) in the library, so an installed `scimsim run` works outside the
//! repository: writes `$OUT_DIR/bundled_features.rs` and `$OUT_DIR/bundled_snapshots.rs`, each
//! a static list of (path relative to its directory, contents).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Files ending in `.extension` below `dir`.
fn collect(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extension, found);
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
}

/// Writes `$OUT_DIR/<out>`: `pub static BUNDLED: &[(&str, &str)]` over `files`, named by
/// their path relative to `base`.
fn embed(base: &Path, files: &[PathBuf], out: &str) {
    let mut text = format!("/// Bundled files below `{}`: (relative path, contents).\n", base.display());
    text.push_str("pub static BUNDLED: &[(&str, &str)] = &[\n");
    for path in files {
        // Directories are watched for new files; each file for edits.
        println!("cargo::rerun-if-changed={}", path.display());
        if let Some(parent) = path.parent() {
            println!("cargo::rerun-if-changed={}", parent.display());
        }
        let relative = path.strip_prefix(base).expect("found under its directory");
        let name = relative.to_string_lossy().replace('\\', "/");
        writeln!(text, "    ({name:?}, include_str!({:?})),", path.display().to_string()).expect("writing to a String");
    }
    text.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(out);
    std::fs::write(target, text).expect("OUT_DIR is writable");
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let features_dir = root.join("features");
    let snapshots_dir = root.join("snapshots");
    println!("cargo::rerun-if-changed={}", features_dir.display());
    println!("cargo::rerun-if-changed={}", snapshots_dir.display());
    let mut features = Vec::new();
    collect(&features_dir, "feature", &mut features);
    features.sort();
    embed(&features_dir, &features, "bundled_features.rs");
    // Only the bundled features' snapshots (snapshots/<idp>/<feature stem>/): the engine tests'
    // and a staging tenant's snapshots live there too but are not the suite's.
    let mut stems: Vec<String> =
        features.iter().filter_map(|f| f.file_stem()).map(|s| s.to_string_lossy().to_lowercase()).collect();
    stems.sort();
    stems.dedup();
    let mut snapshots = Vec::new();
    for idp in ["entra", "okta"] {
        for stem in &stems {
            collect(&snapshots_dir.join(idp).join(stem), "snap", &mut snapshots);
        }
    }
    snapshots.sort();
    snapshots.dedup();
    embed(&snapshots_dir, &snapshots, "bundled_snapshots.rs");
}
