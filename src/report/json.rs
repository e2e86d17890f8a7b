//! report.json: the run report for tools, in the shape docs/report.schema.json publishes and
//! docs/report-json.md explains (fields, versioning).

use super::run_report::RunReport;

/// `report` as pretty-printed JSON ending in a newline: [`RunReport`] serialized as it is, so
/// the schema documents the Rust types field for field. Exchanges in evidence are already
/// redacted; nothing is added here.
pub fn to_json(report: &RunReport) -> String {
    // Serializing cannot fail: every map has string keys, and serde_json writes a non-finite
    // `elapsed_ms` as null.
    let mut json = serde_json::to_string_pretty(report).expect("a RunReport always serializes");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::run_report::SCHEMA_VERSION;
    use super::super::sample::sample_report;
    use super::*;

    const SCHEMA: &str = include_str!("../../docs/report.schema.json");

    fn keys(value: &Value) -> Vec<&str> {
        value.as_object().expect("an object").keys().map(String::as_str).collect()
    }

    #[test]
    fn top_level_keys_are_the_documented_ones() {
        let json: Value = serde_json::from_str(&to_json(&sample_report())).unwrap();
        assert_eq!(keys(&json), ["schema_version", "run", "verdicts", "scenarios", "checks"]);
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(keys(&schema["properties"]), keys(&json));
        assert_eq!(schema["required"], serde_json::to_value(keys(&json)).unwrap());
        assert_eq!(schema["properties"]["schema_version"]["const"], SCHEMA_VERSION);
        assert_eq!(json["schema_version"], SCHEMA_VERSION);
        assert_eq!(keys(&json["run"]), keys(&schema["$defs"]["run"]["properties"]));
        assert_eq!(keys(&json["checks"][1]), keys(&schema["$defs"]["check"]["properties"]));
        assert_eq!(keys(&json["checks"][1]["evidence"][0]), keys(&schema["$defs"]["evidence"]["properties"]));
    }

    #[test]
    fn exchanges_keep_their_redaction() {
        let json = to_json(&sample_report());
        let value: Value = serde_json::from_str(&json).unwrap();
        let evidence = &value["checks"][1]["evidence"][0];
        assert_eq!(evidence["exchange"]["request"]["headers"]["authorization"], "[redacted]");
        assert_eq!(
            json.matches("\"authorization\": \"[redacted]\"").count(),
            json.matches("\"authorization\"").count()
        );
        assert!(!json.contains("Bearer"));
        assert!(json.ends_with("}\n"));
    }
}
