//! Embeds the bundled feature files (features/**/*.feature) in the library, so an installed
//! `scimsim run` works outside the repository: writes `$OUT_DIR/bundled_features.rs`, a
//! static list of (path relative to features/, contents).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "feature") {
            found.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let features = root.join("features");
    println!("cargo::rerun-if-changed={}", features.display());
    let mut found = Vec::new();
    collect(&features, &mut found);
    found.sort();
    let mut out = String::from("/// The bundled features: (path relative to `features/`, contents).\n");
    out.push_str("pub static BUNDLED: &[(&str, &str)] = &[\n");
    for path in &found {
        // Directories are watched for new files; each file for edits.
        println!("cargo::rerun-if-changed={}", path.display());
        if let Some(parent) = path.parent() {
            println!("cargo::rerun-if-changed={}", parent.display());
        }
        let relative = path.strip_prefix(&features).expect("found under features/");
        let name = relative.to_string_lossy().replace('\\', "/");
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).expect("writing to a String");
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled_features.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
