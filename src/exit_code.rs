//! The process exit codes of `scimsim` (DESIGN.md "Environment and exit codes").
//!
//! Scripts and CI tell outcomes apart by these numbers, so they never change meaning.

/// Everything passed (or the server ran and was stopped cleanly).
pub const SUCCESS: u8 = 0;
/// A check or scenario failed.
pub const FAILED: u8 = 1;
/// Bad usage or configuration: unknown flag, unreadable or invalid file, bad address.
pub const USAGE: u8 = 2;
/// The target was unreachable, or a transport or network failure (including a port that
/// cannot be bound).
pub const TRANSPORT: u8 = 3;
/// A feature file could not be parsed, or a step of the selected scenarios matches no step
/// definition (the pre-flight step check); no scenario ran.
pub const FEATURE_PARSE: u8 = 4;
/// Ctrl-C or SIGTERM stopped a run (128 + SIGINT, as shells report it); what the run had
/// created on a named target was removed first. A stopped load leaves its objects, as a
/// finished one does, and reports what it sent until then.
pub const INTERRUPTED: u8 = 130;
