//! What a finished scenario leaves for the run's report: how it ended and what it exchanged.

use cucumber::event::{ScenarioFinished, StepError};
use cucumber::gherkin::Scenario;

use crate::transcript::Exchange;

use super::world::ScimWorld;

/// One finished scenario.
#[derive(Debug, Clone)]
pub struct ScenarioRecord {
    /// The feature file, as the run names it.
    pub feature: String,
    /// The scenario's name.
    pub name: String,
    /// Its line in the feature file (an outline's Examples row for an outline).
    pub line: usize,
    /// `entra` or `okta`, once a step chose the IdP.
    pub idp: Option<String>,
    /// Every step passed.
    pub passed: bool,
    /// The failed step (`line 12: When …`) and its message.
    pub failure: Option<String>,
    /// The IdP's exchanges, in order.
    pub exchanges: Vec<Exchange>,
    /// The checks judge its exchanges (not when it shaped the target on purpose).
    pub judged: bool,
    /// Its transcript file relative to the transcript directory, when one was written.
    pub transcript: Option<String>,
}

impl ScenarioRecord {
    /// The record of `scenario`, finished as `finished`, from its world (`None` when cucumber
    /// never made one: a failed before hook).
    pub(crate) fn new(
        feature: String,
        scenario: &Scenario,
        finished: &ScenarioFinished,
        world: Option<&ScimWorld>,
        transcript: Option<String>,
    ) -> Self {
        let failure = match finished {
            ScenarioFinished::StepPassed => None,
            ScenarioFinished::StepSkipped => Some("a step matches no step definition".to_string()),
            ScenarioFinished::BeforeHookFailed(_) => Some("the scenario could not start".to_string()),
            ScenarioFinished::StepFailed(_, _, error) => {
                Some(world.and_then(|w| w.failure.clone()).unwrap_or_else(|| describe(error)))
            }
        };
        let idp = world.and_then(|w| w.idp.as_ref());
        Self {
            feature,
            name: scenario.name.clone(),
            line: scenario.position.line,
            idp: idp.map(|i| i.name().to_string()),
            passed: failure.is_none(),
            failure,
            exchanges: idp.map(|i| i.transcript().exchanges().to_vec()).unwrap_or_default(),
            judged: world.is_some_and(|w| !w.shaped_target),
            transcript,
        }
    }
}

/// A step error cucumber caught without our step wrapper (a panic elsewhere).
fn describe(error: &StepError) -> String {
    match error {
        StepError::Panic(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "the step panicked".to_string()),
        other => other.to_string(),
    }
}
