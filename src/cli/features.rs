//! `scimsim features`: the features, scenarios and tags a run would take, without running
//! them.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use cucumber::tag::Ext as _;

use crate::bdd::{self, FeatureSource};

/// Options of `scimsim features`.
#[derive(Debug, Args)]
pub struct FeaturesArgs {
    /// Feature files or directories to list instead of the bundled suite.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// List only the scenarios this tag expression selects.
    #[arg(long, env = "SCIMSIM_TAGS", value_name = "EXPR")]
    pub tags: Option<String>,
}

/// Prints each feature's path and name, then its scenarios with their tags.
pub fn run(args: &FeaturesArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let sources =
        if args.paths.is_empty() { FeatureSource::bundled() } else { FeatureSource::from_paths(&args.paths)? };
    let features = bdd::parse(&sources)?;
    let tags = args.tags.as_deref().filter(|t| !t.trim().is_empty()).map(bdd::parse_tags).transpose()?;
    let (mut count_features, mut count_scenarios) = (0, 0);
    for feature in &features {
        let scenarios: Vec<_> = feature
            .scenarios
            .iter()
            .map(|s| (None, s))
            .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))))
            .filter(|(rule, scenario)| {
                let all: Vec<&String> = feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| r.tags.iter()))
                    .chain(scenario.tags.iter())
                    .collect();
                tags.as_ref().is_none_or(|t| t.eval(all))
            })
            .collect();
        if scenarios.is_empty() {
            continue;
        }
        count_features += 1;
        let path = feature.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        writeln!(out, "{path}: {}{}", feature.name, tag_list(&feature.tags))?;
        for (_, scenario) in scenarios {
            count_scenarios += 1;
            writeln!(out, "  {}:{}  {}{}", path, scenario.position.line, scenario.name, tag_list(&scenario.tags))?;
        }
    }
    writeln!(out, "{count_features} features, {count_scenarios} scenarios")?;
    Ok(())
}

fn tag_list(tags: &[String]) -> String {
    if tags.is_empty() { String::new() } else { format!("  @{}", tags.join(" @")) }
}
