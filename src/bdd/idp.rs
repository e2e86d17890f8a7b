//! The identity provider a scenario plays: an Entra tenant or an Okta org, behind the few
//! operations every step needs whichever it is.

use crate::idp::directory::{Directory, ObjectKind};
use crate::idp::entra::EntraTenant;
use crate::idp::link::Links;
use crate::idp::okta::OktaOrg;
use crate::transcript::Transcript;

/// The IdP of a scenario.
#[derive(Debug)]
pub enum Idp {
    /// Microsoft Entra ID.
    Entra(Box<EntraTenant>),
    /// Okta.
    Okta(Box<OktaOrg>),
}

impl Idp {
    /// `entra` or `okta`: the transcript's `idp` and the snapshot directory.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Entra(_) => "entra",
            Self::Okta(_) => "okta",
        }
    }

    /// Every exchange so far.
    pub fn transcript(&self) -> &Transcript {
        match self {
            Self::Entra(entra) => entra.transcript(),
            Self::Okta(okta) => okta.transcript(),
        }
    }

    /// What the IdP linked: source ids to target ids.
    pub fn links(&self) -> &Links {
        match self {
            Self::Entra(entra) => entra.links(),
            Self::Okta(okta) => okta.links(),
        }
    }

    /// The IdP's users and groups.
    pub fn directory(&self) -> &Directory {
        match self {
            Self::Entra(entra) => &entra.directory,
            Self::Okta(okta) => okta.directory(),
        }
    }

    /// Names the scenario and step the next exchanges belong to.
    pub fn label(&mut self, scenario: &str, step: &str) {
        match self {
            Self::Entra(entra) => entra.label(scenario, step),
            Self::Okta(okta) => okta.label(scenario, step),
        }
    }

    /// The target id a user or group alias is linked to, if any.
    pub fn target_id(&self, kind: ObjectKind, alias: &str) -> Option<String> {
        let source = self.directory().id_of(kind, alias).ok()?;
        self.links().target_of(&source).map(str::to_string)
    }
}
