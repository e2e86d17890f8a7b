//! The resource types a server instance serves, with their extension schemas.

use std::sync::Arc;

use crate::scim::{ResourceSchema, Schema};

use super::{Extension, Profile, ServerError};

/// `User` and `Group`, each with the extensions registered for it.
#[derive(Debug, Clone)]
pub struct Registry {
    types: Vec<Arc<ResourceSchema>>,
}

impl Registry {
    /// The built-in types, shaped by `profile` (its extension schemas), plus `extensions`.
    pub fn new(profile: Profile, extensions: &[Extension]) -> Result<Self, ServerError> {
        let mut user = ResourceSchema::user();
        profile
            .shape_user(&mut user)
            .map_err(|e| ServerError::Extension(format!("the {profile} profile's schemas: {e}")))?;
        let mut types = vec![user, ResourceSchema::group()];
        let from = |e: &Extension| e.origin.as_ref().map(|p| format!(" (from {})", p.display())).unwrap_or_default();
        for (i, ext) in extensions.iter().enumerate() {
            let Some(target) = types.iter_mut().find(|t| t.resource_type.name.eq_ignore_ascii_case(&ext.resource_type))
            else {
                return Err(ServerError::Extension(format!(
                    "schema {}{} extends {:?}, but the server has only User and Group",
                    ext.schema.id,
                    from(ext),
                    ext.resource_type
                )));
            };
            target.add_extension(ext.schema.clone(), false).map_err(|e| {
                let earlier = extensions[..i].iter().find(|o| o.schema.id.eq_ignore_ascii_case(&ext.schema.id));
                let earlier = match earlier {
                    Some(o) => format!("; it was already registered{}", from(o)),
                    None if profile.extension_ids().iter().any(|id| id.eq_ignore_ascii_case(&ext.schema.id)) => {
                        format!("; the {profile} profile defines it, so leave out this --schema")
                    }
                    None => String::new(),
                };
                ServerError::Extension(format!("{e}{}{earlier}", from(ext)))
            })?;
        }
        Ok(Self { types: types.into_iter().map(Arc::new).collect() })
    }

    /// Every resource type.
    pub fn all(&self) -> &[Arc<ResourceSchema>] {
        &self.types
    }

    /// The resource type called `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Arc<ResourceSchema>> {
        self.types.iter().find(|t| t.resource_type.name.eq_ignore_ascii_case(name))
    }

    /// Every schema once: core schemas, then extensions, in registration order.
    pub fn schemas(&self) -> Vec<&Schema> {
        let mut out: Vec<&Schema> = Vec::new();
        for t in &self.types {
            for s in std::iter::once(&t.core).chain(t.extensions.iter()) {
                if !out.iter().any(|o| o.id == s.id) {
                    out.push(s);
                }
            }
        }
        out
    }
}
