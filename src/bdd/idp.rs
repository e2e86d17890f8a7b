//! The identity provider a scenario plays: an Entra tenant or an Okta org, behind the few
//! operations every step needs whichever it is.

use crate::idp::directory::{Directory, ObjectKind, stable_guid};
use crate::idp::entra::EntraTenant;
use crate::idp::link::Links;
use crate::idp::okta::{OktaOrg, object_id, placeholder_password, stable_object_id};
use crate::transcript::{Redactor, Transcript};

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

    /// Makes the ids of objects added from now on unique to `namespace` (the scenario's name
    /// prefix): Entra's objectIds and Okta's `00u…` ids reach the target as `externalId`.
    pub fn set_id_namespace(&mut self, namespace: &str) {
        match self {
            Self::Entra(entra) => entra.directory.set_id_namespace(namespace),
            Self::Okta(okta) => okta.set_id_namespace(namespace),
        }
    }

    /// The id the IdP gives the `kind` object `alias` in `directory`, and the id it would have
    /// without the directory's namespace.
    fn derived_ids(&self, directory: &Directory, kind: ObjectKind, alias: &str) -> (String, String) {
        let canonical_seed = Directory::canonical_id_seed(kind, alias);
        match self {
            Self::Entra(_) => (directory.stable_object_id(kind, alias), stable_guid(&canonical_seed)),
            Self::Okta(_) => {
                (stable_object_id(kind, directory.id_namespace(), alias), object_id(kind, &canonical_seed))
            }
        }
    }

    /// `(as sent, as without a namespace)` for every id the IdP derived from a namespaced
    /// alias (of objects deleted since, too), and for the placeholder password Okta derives from each such user id: snapshots
    /// and messages show what a run without a namespace would have sent, so they read the
    /// same in every run.
    pub fn id_translations(&self) -> Vec<(String, String)> {
        let directory = self.directory();
        let mut pairs = Vec::new();
        for (kind, alias) in directory.added() {
            let (sent, canonical) = self.derived_ids(directory, *kind, alias);
            if sent == canonical {
                continue;
            }
            if matches!(self, Self::Okta(_)) && *kind == ObjectKind::User {
                pairs.push((placeholder_password(&sent), placeholder_password(&canonical)));
            }
            pairs.push((sent, canonical));
        }
        pairs
    }

    /// Every secret the IdP's client knows, for redacting what is printed.
    pub fn redactor(&self) -> Redactor {
        match self {
            Self::Entra(entra) => entra.redactor(),
            Self::Okta(okta) => okta.redactor(),
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
