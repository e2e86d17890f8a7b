//! What a restart clears (Graph `synchronizationJobRestartCriteria.resetScope`,
//! entra-wire.md §1.14).

/// The reset scopes of a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetScope {
    /// The portal's "Restart provisioning" (or an empty Graph body): clears the watermark,
    /// escrows and quarantine state, and keeps the object connections.
    Portal,
    /// Only the watermark: the next cycle is an initial cycle.
    Watermark,
    /// Only the escrows.
    Escrows,
    /// Only the quarantine state.
    QuarantineState,
    /// The connector data store: every object connection (cached target id) is forgotten, so
    /// objects are matched again.
    ConnectorDataStore,
    /// Everything above.
    Full,
    /// Releases disables and deletes held back by the accidental-deletion threshold.
    ForceDeletes,
}

impl ResetScope {
    /// Reads a reset scope by its Graph name (`Full`, `Escrows`, …) or `None` / `portal`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "" | "none" | "portal" => Self::Portal,
            "watermark" => Self::Watermark,
            "escrows" => Self::Escrows,
            "quarantinestate" => Self::QuarantineState,
            "connectordatastore" => Self::ConnectorDataStore,
            "full" => Self::Full,
            "forcedeletes" => Self::ForceDeletes,
            _ => return None,
        })
    }

    /// Whether the restart clears the watermark.
    pub fn clears_watermark(self) -> bool {
        matches!(self, Self::Portal | Self::Watermark | Self::Full)
    }

    /// Whether it clears the escrows.
    pub fn clears_escrows(self) -> bool {
        matches!(self, Self::Portal | Self::Escrows | Self::Full)
    }

    /// Whether it clears the quarantine state.
    pub fn clears_quarantine(self) -> bool {
        matches!(self, Self::Portal | Self::QuarantineState | Self::Full)
    }

    /// Whether it forgets the object connections.
    pub fn clears_links(self) -> bool {
        matches!(self, Self::ConnectorDataStore | Self::Full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_names() {
        assert_eq!(ResetScope::parse("Full"), Some(ResetScope::Full));
        assert_eq!(ResetScope::parse("None"), Some(ResetScope::Portal));
        assert_eq!(ResetScope::parse("ConnectorDataStore"), Some(ResetScope::ConnectorDataStore));
        assert_eq!(ResetScope::parse("everything"), None);
        assert!(ResetScope::Portal.clears_watermark() && !ResetScope::Portal.clears_links());
        assert!(ResetScope::Full.clears_links() && ResetScope::Full.clears_escrows());
        assert!(!ResetScope::Escrows.clears_watermark());
    }
}
