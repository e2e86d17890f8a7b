//! The step language of DESIGN.md, registered by hand (no `inventory`, so no step can be
//! dropped by the linker): one module per concern — choosing and configuring the IdP and its
//! directory, the events that make it send, the assertions, the target's side, and the
//! steps only Entra ID or only Okta has.
//!
//! Every step is a regular expression anchored at both ends and an async handler returning
//! `Err(message)` to fail; the wrapper labels the IdP's exchanges with the step, remembers
//! where a Given or When step started (for `Then the IdP sent`), prints exchanges with `-v`,
//! and turns an error into the step's failure message.

mod assertions;
mod entra;
mod events;
mod okta;
mod setup;
mod target;

use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;

use cucumber::gherkin::StepType;
use cucumber::step::Context;
use serde_json::Value;

use super::verbose;
use super::world::ScimWorld;
use crate::scim::SyntaxError;
use crate::target::{describe, send_failure};

/// What a step handler returns: `Err` with the message the run shows.
pub(crate) type StepResult = Result<(), String>;

/// A step's future, as cucumber runs it.
type StepFuture<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// One step definition.
pub(crate) struct StepDef {
    /// The keywords it answers to.
    pub(crate) kinds: &'static [StepType],
    /// The regular expression, anchored with `^…$`.
    pub(crate) pattern: &'static str,
    /// The function cucumber calls.
    pub(crate) run: for<'a> fn(&'a mut ScimWorld, Context) -> StepFuture<'a>,
}

impl std::fmt::Debug for StepDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepDef").field("kinds", &self.kinds).field("pattern", &self.pattern).finish()
    }
}

/// Given only.
pub(crate) const GIVEN: &[StepType] = &[StepType::Given];
/// When only.
pub(crate) const WHEN: &[StepType] = &[StepType::When];
/// Then only.
pub(crate) const THEN: &[StepType] = &[StepType::Then];
/// Given, or When for an edit in the middle of a scenario.
pub(crate) const GIVEN_OR_WHEN: &[StepType] = &[StepType::Given, StepType::When];

/// A step definition from keywords, a pattern and an `async fn(&mut ScimWorld, &Context) ->
/// StepResult`.
macro_rules! step {
    ($kinds:expr, $pattern:literal, $handler:path) => {{
        fn run<'a>(
            world: &'a mut $crate::bdd::world::ScimWorld,
            context: cucumber::step::Context,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>> {
            Box::pin(async move {
                $crate::bdd::steps::before(world, &context);
                let result = $handler(world, &context).await;
                $crate::bdd::steps::after(world, &context, result);
            })
        }
        $crate::bdd::steps::StepDef { kinds: $kinds, pattern: $pattern, run }
    }};
}
pub(crate) use step;

/// Every step definition.
pub(crate) fn all() -> Vec<StepDef> {
    let mut steps = setup::steps();
    steps.extend(events::steps());
    steps.extend(assertions::steps());
    steps.extend(target::steps());
    steps.extend(entra::steps());
    steps.extend(okta::steps());
    steps
}

/// Before a step: its exchanges are labelled with it, and a Given or When step marks where
/// its requests start.
pub(crate) fn before(world: &mut ScimWorld, context: &Context) {
    let scenario = world.info.as_ref().map(|i| i.name.clone()).unwrap_or_default();
    let text = format!("{} {}", context.step.keyword.trim(), context.step.value);
    if let Some(idp) = world.idp.as_mut() {
        idp.label(&scenario, &text);
        if context.step.ty != StepType::Then {
            world.mark = idp.transcript().len();
        }
    }
}

/// After a step: `-v` output, and an error becomes the step's failure, the target's token
/// redacted from it. The failure unwinds with the message as its payload (no panic hook
/// runs), which cucumber reports, starting with the step's `file:line:` as the user named
/// the file (cucumber's own `Defined:` line drops a leading `/`); the world keeps it with
/// the step's line for the run's report.
pub(crate) fn after(world: &mut ScimWorld, context: &Context, result: StepResult) {
    verbose::print_new(world);
    if let Err(message) = result {
        // A message can quote what the target answered, and a target may echo the token.
        let message = world.redact(&message);
        let step = &context.step;
        world.failure = Some(format!("line {}: {} {}: {message}", step.position.line, step.keyword.trim(), step.value));
        let located = match &world.info {
            Some(info) => format!("{}:{}: {message}", info.feature.display(), step.position.line),
            None => message,
        };
        std::panic::resume_unwind(Box::new(located));
    }
}

/// Sends a step's own request to the target (outside the IdP's transcript: an assertion
/// reading what the target holds, a setup step writing to it). A failure names `label`
/// (`METHOD URL`) and says what to check, as the IdP's requests do.
pub(crate) async fn send_direct(
    request: reqwest::RequestBuilder,
    label: &str,
    timeout: std::time::Duration,
) -> Result<reqwest::Response, String> {
    request.send().await.map_err(|err| send_failure(&err, label.to_string(), describe(&err), timeout).to_string())
}

/// Capture group `index` of the step's match (`""` when the group did not take part).
pub(crate) fn arg(context: &Context, index: usize) -> &str {
    context.matches.get(index).map_or("", |(_, value)| value.as_str())
}

/// The step's data table without its header row, each row's cells trimmed.
pub(crate) fn table_rows(context: &Context) -> Result<Vec<Vec<String>>, String> {
    let table = context.step.table.as_ref().ok_or("this step needs a data table under it")?;
    Ok(table.rows.iter().skip(1).map(|row| row.iter().map(|c| c.trim().to_string()).collect()).collect())
}

/// The step's doc string.
pub(crate) fn doc_string(context: &Context) -> Result<&str, String> {
    context.step.docstring.as_deref().ok_or_else(|| "this step needs a doc string (\"\"\" … \"\"\") under it".into())
}

/// A table cell as a source attribute value: `true` and `false` are booleans, anything else
/// is text.
pub(crate) fn cell_value(text: &str) -> Value {
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        other => Value::String(other.to_string()),
    }
}

/// How to write an attribute path, said under one that does not parse.
const PATH_FIX: &str = "write a SCIM attribute path (RFC 7644 §3.10): userName, name.givenName, \
     emails[type eq \"work\"].value, or one qualified by its schema URN such as \
     urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

/// The step argument `text` as an attribute or PATCH path, or a failure saying where it
/// breaks the RFC 7644 grammar and how to write one.
pub(crate) fn scim_path<P: FromStr<Err = SyntaxError>>(text: &str) -> Result<P, String> {
    text.parse().map_err(|error: SyntaxError| {
        unparsable(&format!("{text:?} is not a SCIM attribute path: {error}"), text, error.column, PATH_FIX)
    })
}

/// A failure message for a step argument that does not parse (an attribute path, a mapping
/// expression): what is wrong, the argument with a caret under its 1-based `column`, and
/// the fix.
pub(crate) fn unparsable(problem: &str, text: &str, column: usize, fix: &str) -> String {
    let caret = " ".repeat(column.saturating_sub(1));
    format!("{problem}\n    {text}\n    {caret}^\n{fix}")
}

/// The quoted names in `"alice", "bob" and "carol"`.
pub(crate) fn quoted_list(text: &str) -> Vec<String> {
    text.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_anchored_and_compiles() {
        for step in all() {
            assert!(step.pattern.starts_with('^') && step.pattern.ends_with('$'), "{}", step.pattern);
            regex::Regex::new(step.pattern).unwrap_or_else(|e| panic!("{}: {e}", step.pattern));
        }
    }

    /// Every phrasing of DESIGN.md's step language, with its keyword, matches exactly one
    /// definition registered for that keyword.
    #[test]
    fn every_design_phrasing_matches_exactly_one_step() {
        use StepType::{Given, Then, When};
        let phrasings: &[(StepType, &str)] = &[
            (Given, "an Entra ID tenant"),
            (Given, "an Entra ID tenant with the aadOptscim062020 flag"),
            (Given, "an Okta org"),
            (Given, "an Okta org with an AIW app"),
            (
                Given,
                r#"the app's attribute list includes "urn:omni:params:1.0:UserAttribute:blob_entity" of type String"#,
            ),
            (Given, r#"the app's attribute list includes "urn:x:codes" of type Integer, multi-valued"#),
            (When, r#"the app's attribute list includes "urn:x:flag" of type Boolean"#),
            (Given, r#"the mapping "department" -> "urn:x:dept""#),
            (Given, r#"the mapping "jobTitle" -> "title" applied on create only"#),
            (When, r#"the mapping "department" -> "urn:x:dept""#),
            (Given, r#"the constant mapping "Employee" -> "userType""#),
            (Given, r#"the expression mapping "Join(\" \", [givenName], [surname])" -> "displayName""#),
            (Given, r#"the user "alice" with:"#),
            (Given, r#"the group "Sales" with members "alice", "bob""#),
            (Given, r#""alice" is assigned to the app"#),
            (Given, r#"the group "Sales" is assigned to the app"#),
            (When, "the provisioning cycle runs"),
            (When, r#"provisioning on demand runs for "alice""#),
            (When, "provisioning is restarted"),
            (When, "Force Sync runs"),
            (When, r#"the group "Sales" is pushed"#),
            (When, r#""alice"'s "department" is changed to "Retail""#),
            (When, r#""alice"'s "department" is cleared"#),
            (When, r#""alice" is unassigned from the app"#),
            (When, r#""alice" is disabled"#),
            (When, r#""alice" is soft deleted"#),
            (When, r#""alice" is hard deleted"#),
            (When, r#""alice" is restored"#),
            (When, r#""alice" is added to the group "Sales""#),
            (When, r#""alice" is removed from the group "Sales""#),
            (When, r#"the group "Sales" is renamed to "Sales EMEA""#),
            (When, r#"the group "Sales" is deleted"#),
            (When, r#"the group "Sales" is unassigned from the app"#),
            (When, "the connection is tested"),
            (When, "users are imported"),
            (When, "groups are imported"),
            (When, r#""alice" is suspended"#),
            (When, r#""alice" is reactivated"#),
            (When, r#""alice"'s password is changed"#),
            (When, r#"Push Now runs for the group "Sales""#),
            (When, r#"the group "Sales" is unlinked, deleting it in the app"#),
            (When, r#"the group "Sales" is unlinked, leaving it in the app"#),
            (Then, "the IdP sent:"),
            (Then, "the last request body includes:"),
            (Then, r#"the target has the user "alice" with "name.givenName" equal to "Alice""#),
            (Then, r#"the target has the user "alice" with "emails[type eq "work"].value" absent"#),
            (Then, r#"the target has the user "alice" inactive"#),
            (Then, r#"the target has no user "alice""#),
            (Then, "every response conforms"),
            (Then, "the responses match the snapshot"),
        ];
        let steps: Vec<(StepDef, regex::Regex)> = all()
            .into_iter()
            .map(|s| {
                let regex = regex::Regex::new(s.pattern).unwrap();
                (s, regex)
            })
            .collect();
        for (kind, text) in phrasings {
            let matching: Vec<&str> = steps
                .iter()
                .filter(|(s, r)| s.kinds.contains(kind) && r.is_match(text))
                .map(|(s, _)| s.pattern)
                .collect();
            assert_eq!(matching.len(), 1, "{kind:?} {text}: {matching:?}");
        }
    }

    #[test]
    fn a_bad_path_is_shown_with_a_caret_and_how_to_write_one() {
        let message = scim_path::<crate::scim::PatchPath>("name..givenName").unwrap_err();
        let lines: Vec<&str> = message.lines().collect();
        assert!(lines[0].starts_with("\"name..givenName\" is not a SCIM attribute path: "), "{message}");
        assert!(lines[0].contains("at column 6"), "{message}");
        assert_eq!(lines[1..3], ["    name..givenName", "         ^"]);
        assert!(lines[3].starts_with("write a SCIM attribute path"), "{message}");
        assert!(scim_path::<crate::scim::AttrPath>("name.givenName").is_ok());
    }

    #[test]
    fn lists_and_cells() {
        assert_eq!(quoted_list(r#""alice", "bob" and "carol""#), ["alice", "bob", "carol"]);
        assert_eq!(cell_value("true"), Value::Bool(true));
        assert_eq!(cell_value("True"), Value::String("True".into()));
    }
}
