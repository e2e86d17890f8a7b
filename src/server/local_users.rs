//! Local users from a file (`scimsim serve --seed FILE`): the users a product already has
//! that were not created through SCIM, e.g. made by an admin in its own UI. The server holds
//! them from the start ([`super::ServerConfig::local_users`]); the Ivanti profile takes one
//! over when a POST names its `userName`.
//!
//! The file is a JSON array of User resources in the shape of a POST body:
//!
//! ```json
//! [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bjensen@example.com",
//!   "name": {"givenName": "Barbara", "familyName": "Jensen"}, "active": true}]
//! ```

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ServerError;

/// Reads a local users file: a JSON array of User resources. Each is checked against the
/// schema when the server starts.
pub fn read_local_users(path: &Path) -> Result<Vec<Value>, ServerError> {
    let text = std::fs::read_to_string(path)
        .map_err(|reason| ServerError::LocalUsersRead { path: PathBuf::from(path), reason })?;
    let invalid = |detail: String| ServerError::LocalUsersInvalid { path: PathBuf::from(path), detail };
    match serde_json::from_str(&text) {
        Ok(Value::Array(users)) => Ok(users),
        Ok(other) => Err(invalid(format!(
            "expected a JSON array of User resources, found {}",
            match other {
                Value::Object(_) => "an object (wrap it in [ ])",
                _ => "a single value",
            }
        ))),
        Err(e) => Err(invalid(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_array_and_explains_anything_else() {
        let dir = std::env::temp_dir().join(format!("scimsim-local-users-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("users.json");
        std::fs::write(&file, r#"[{"userName": "a"}, {"userName": "b"}]"#).unwrap();
        assert_eq!(read_local_users(&file).unwrap().len(), 2);
        std::fs::write(&file, r#"{"userName": "a"}"#).unwrap();
        assert!(read_local_users(&file).unwrap_err().to_string().contains("wrap it in [ ]"));
        std::fs::write(&file, "[\n{").unwrap();
        let error = read_local_users(&file).unwrap_err().to_string();
        assert!(error.contains("users.json") && error.contains("line 2"), "{error}");
        let missing = read_local_users(&dir.join("missing.json")).unwrap_err().to_string();
        assert!(missing.contains("missing.json"), "{missing}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
