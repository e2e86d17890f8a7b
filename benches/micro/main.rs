//! Micro-benchmarks of the hot paths behind a provisioning run, measured with divan: the SCIM
//! filter parser, PATCH application, mapping evaluation and transcript writing.
//!
//! Run: `cargo bench --bench micro` (divan's options follow `--`, e.g. `-- filter` to run the
//! filter benchmarks only).

#[path = "../common/mod.rs"]
mod common;
mod filter;
mod mapping;
mod patch;
mod transcript;

fn main() {
    divan::main();
}
