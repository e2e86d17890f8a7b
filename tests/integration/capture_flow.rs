//! Issue 9's flow end to end on every recording in fixtures/recordings: the recording is
//! replayed through `scimsim record` into a fresh embedded server, and the new recording is
//! diffed with scimsim's model. Record, replay and diff agree with each other: the replay's
//! answers are the recorded ones, and the recording it makes tells the same story with no
//! difference, so a capture of real traffic is only ever compared with the model, never with
//! artefacts of the tools.

use std::time::Duration;

use scimsim::transcript::Transcript;

use crate::model_diff::{RECORDINGS, fixture};
use crate::process::{TempDir, run, run_with_env};
use crate::recording_proxy::Recording;
use crate::util::TestServer;

#[test]
fn record_replay_and_diff_agree_on_every_fixture() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = TempDir::new("capture-flow");
    for name in RECORDINGS {
        let server = runtime.block_on(TestServer::start());
        let token = server.server.token().to_string();
        let recording =
            runtime.block_on(Recording::start(&format!("flow-{name}"), server.server.url(), Duration::from_secs(30)));
        let proxy = recording.proxy.url().to_string();
        // The server is this test's own: what the replay creates may stay (--keep), so the
        // new recording holds only the replayed requests.
        let replayed = run_with_env(
            &["replay", &fixture(name), "--target", &proxy, "--keep"],
            &[("SCIMSIM_TOKEN", token.as_str())],
            &["SCIMSIM_TARGET_URL"],
        );
        assert_eq!(replayed.code, Some(0), "{name}: the replay's answers are the recorded ones: {replayed:?}");
        // What the recording deleted itself is not the replay's to clean up.
        let fixture_text = std::fs::read_to_string(fixture(name)).unwrap();
        let count = |method: &str, status: u16| {
            Transcript::read_jsonl(fixture_text.as_bytes())
                .unwrap()
                .iter()
                .filter(|e| e.request.method == method && e.response.as_ref().is_some_and(|r| r.status == status))
                .count()
        };
        let survivors = count("POST", 201) - count("DELETE", 204);
        let objects = if survivors == 1 { "object" } else { "objects" };
        let left = format!("the replay created {survivors} {objects} on ");
        assert_eq!(replayed.stdout.contains("the replay created"), survivors > 0, "{name}: {}", replayed.stdout);
        assert!(survivors == 0 || replayed.stdout.contains(&left), "{name}: {left:?} in {}", replayed.stdout);
        let recorded = runtime.block_on(recording.stop());
        let original = fixture_text.lines().count();
        assert_eq!(recorded.exchanges.len(), original, "{name}: the replay sent the recording's requests, no more");
        let again = dir.write(&format!("{name}.jsonl"), &recorded.file_text);
        let diff = run(&["diff", &again]);
        assert_eq!(diff.code, Some(0), "{name}: the new recording retells with no difference: {diff:?}");
        assert!(diff.stdout.contains(&format!("{original} exchanges from ")), "{name}: {}", diff.stdout);
        runtime.block_on(server.server.shutdown()).unwrap();
    }
}
