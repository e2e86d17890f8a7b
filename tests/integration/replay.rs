//! `scimsim replay`: a transcript recorded by `scimsim run --transcript` sent again, as a user
//! runs it, to a fresh embedded server (the same answers, the new target's ids), to a server
//! that answers differently (a diff naming the exchange and the field), and refused when the
//! transcript cannot be read or the target cannot be reached.

use std::collections::BTreeMap;
use std::future::pending;
use std::path::{Path, PathBuf};

use scimsim::capture::{ReplayOptions, replay};
use scimsim::server::{Profile, ServerConfig};
use scimsim::target::{TargetClient, TargetConfig};
use scimsim::transcript::{Exchange, RecordedRequest, RecordedResponse, Transcript};
use serde_json::{Value, json};

use super::process::{Outcome, TempDir, path_str, run_with_env};
use super::util::TestServer;

/// Records `feature` against the embedded server into `dir` and returns the transcript of its
/// scenario `scenario` (its file name without `.jsonl`).
fn record(dir: &TempDir, feature: &str, scenario: &str) -> PathBuf {
    let feature = path_str(&Path::new(env!("CARGO_MANIFEST_DIR")).join("features").join(feature));
    let transcripts = dir.path("recorded");
    let outcome = run_with_env(&["run", &feature, "--transcript", &transcripts], &[], &["SCIMSIM_TARGET_URL"]);
    assert_eq!(outcome.code, Some(0), "{}{}", outcome.stdout, outcome.stderr);
    let stem = Path::new(&feature).file_stem().and_then(|s| s.to_str()).expect("a feature file name");
    let idp = Path::new(&feature).parent().and_then(Path::file_name).and_then(|s| s.to_str()).expect("an IdP folder");
    let path = dir.0.join("recorded").join(idp).join(stem).join(format!("{scenario}.jsonl"));
    assert!(path.is_file(), "{} was not written", path.display());
    path
}

fn read(path: &Path) -> Vec<Exchange> {
    let file = std::fs::File::open(path).expect("the transcript opens");
    Transcript::read_jsonl(std::io::BufReader::new(file)).expect("the transcript reads").into_iter().collect()
}

/// Replays `transcript` against the embedded server, writing the new exchanges to `out`.
fn replay_embedded(transcript: &Path, out: &str) -> Outcome {
    run_with_env(&["replay", &path_str(transcript), "--out", out], &[], &["SCIMSIM_TARGET_URL"])
}

/// The id the `201` to the first create in `exchanges` returned.
fn created_id(exchanges: &[Exchange], endpoint: &str) -> String {
    exchanges
        .iter()
        .filter(|e| e.request.method == "POST" && e.request.path == endpoint)
        .find_map(|e| Some(e.response.as_ref()?.body.as_ref()?.get("id")?.as_str()?.to_string()))
        .unwrap_or_else(|| panic!("no create of {endpoint} in the transcript"))
}

#[test]
fn a_recording_replayed_against_a_fresh_server_gets_the_same_answers_at_the_new_ids() {
    let dir = TempDir::new("replay-entra");
    let recorded_path = record(&dir, "entra/user_lifecycle.feature", "create_update_disable_and_hard_delete_a_user");
    let out = dir.path("replayed.jsonl");
    let outcome = replay_embedded(&recorded_path, &out);
    let recorded = read(&recorded_path);
    assert_eq!(outcome.code, Some(0), "{}{}", outcome.stdout, outcome.stderr);
    let n = recorded.len();
    assert!(outcome.stdout.contains(&format!("replayed {n} exchanges: {n} identical, 0 differ")), "{}", outcome.stdout);

    let replayed = read(Path::new(&out));
    assert_eq!(replayed.len(), n);
    let (old, new) = (created_id(&recorded, "/Users"), created_id(&replayed, "/Users"));
    assert_ne!(old, new, "a fresh server chose its own id");
    let patches: Vec<(&Exchange, &Exchange)> =
        recorded.iter().zip(&replayed).filter(|(r, _)| r.request.method == "PATCH").collect();
    assert!(!patches.is_empty(), "the story updates the user");
    for (recorded, replayed) in patches {
        assert_eq!(recorded.request.path, format!("/Users/{old}"));
        assert_eq!(replayed.request.path, format!("/Users/{new}"), "the PATCH reached the new id");
        let status = replayed.response.as_ref().map(|r| r.status);
        assert_eq!(status, recorded.response.as_ref().map(|r| r.status), "not a 404");
        assert_eq!(status, Some(200));
        assert_eq!(
            (&replayed.seq, &replayed.idp, &replayed.dialect, &replayed.scenario, &replayed.step),
            (&recorded.seq, &recorded.idp, &recorded.dialect, &recorded.scenario, &recorded.step),
            "the replay keeps the recording's place and story"
        );
    }
}

#[test]
fn group_members_in_a_replayed_body_are_the_new_targets_users() {
    let dir = TempDir::new("replay-okta-push");
    let recorded_path = record(&dir, "okta/group_push.feature", "pushing_a_group_creates_it_then_adds_its_members");
    let out = dir.path("replayed.jsonl");
    let outcome = replay_embedded(&recorded_path, &out);
    assert_eq!(outcome.code, Some(0), "{}{}", outcome.stdout, outcome.stderr);

    let (recorded, replayed) = (read(&recorded_path), read(Path::new(&out)));
    let new_users: Vec<String> = replayed
        .iter()
        .filter(|e| e.request.method == "POST" && e.request.path == "/Users")
        .filter_map(|e| Some(e.response.as_ref()?.body.as_ref()?["id"].as_str()?.to_string()))
        .collect();
    let group = created_id(&replayed, "/Groups");
    let patch = replayed
        .iter()
        .filter(|e| e.request.method == "PATCH" && e.request.path == format!("/Groups/{group}"))
        .find(|e| e.request.body.as_ref().is_some_and(|b| b["Operations"][0]["path"] == "members"))
        .expect("the push adds members to the new group");
    let members: Vec<&str> = patch.request.body.as_ref().expect("a PATCH body")["Operations"][0]["value"]
        .as_array()
        .expect("the members added")
        .iter()
        .filter_map(|member| member["value"].as_str())
        .collect();
    assert!(!members.is_empty() && members.iter().all(|m| new_users.iter().any(|u| u == m)), "{members:?}");
    let recorded_users: Vec<&str> = recorded
        .iter()
        .filter(|e| e.request.method == "POST" && e.request.path == "/Users")
        .filter_map(|e| e.response.as_ref()?.body.as_ref()?["id"].as_str())
        .collect();
    assert!(members.iter().all(|m| !recorded_users.contains(m)), "no recorded id was sent");
}

#[test]
fn a_target_that_answers_differently_exits_1_with_a_diff_of_the_exchange() {
    let dir = TempDir::new("replay-omni");
    let recorded_path = record(&dir, "entra/user_lifecycle.feature", "create_update_disable_and_hard_delete_a_user");
    let create = read(&recorded_path)
        .into_iter()
        .find(|e| e.request.method == "POST" && e.request.path == "/Users")
        .expect("the story creates a user");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let config =
        ServerConfig { token: Some("replay-secret-token-0042".into()), profile: Profile::Omni, ..Default::default() };
    let server = runtime.block_on(TestServer::with_config(config));
    let (url, transcript) = (server.server.url().to_string(), path_str(&recorded_path));
    let replay = |extra: &[&str]| {
        let args = [&["replay", transcript.as_str(), "--target", url.as_str()], extra].concat();
        run_with_env(&args, &[("SCIMSIM_TOKEN", "replay-secret-token-0042")], &["SCIMSIM_TARGET_URL"])
    };

    let outcome = replay(&[]);
    assert_eq!(outcome.code, Some(1), "{}{}", outcome.stdout, outcome.stderr);
    // Omni gives every user it creates a role (server/profile.rs): the answer gains `roles`.
    let heading = format!("#{} POST /Users\n--- recorded\n+++ replayed\n", create.seq);
    let at = outcome.stdout.find(&heading).unwrap_or_else(|| panic!("no diff headed {heading:?}: {}", outcome.stdout));
    let diff = &outcome.stdout[at..];
    assert!(diff.contains("\n+    \"roles\": [\n"), "{diff}");
    assert!(outcome.stdout.contains(" differ"), "{}", outcome.stdout);
    for text in [&outcome.stdout, &outcome.stderr] {
        assert!(!text.contains("replay-secret-token-0042"), "the token was printed: {text}");
    }
    // A named target: the replay says what it created, and removes it.
    assert!(outcome.stdout.contains("the replay created 1 object on "), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("cleaned up: removed 1 of 1"), "{}", outcome.stdout);
    let users = runtime.block_on(server.get("/Users")).expect(200);
    assert_eq!(users.body["totalResults"], 0, "{:#}", users.body);

    let kept = replay(&["--keep"]);
    assert_eq!(kept.code, Some(1), "{}{}", kept.stdout, kept.stderr);
    assert!(kept.stdout.contains("kept on the target (--keep)"), "{}", kept.stdout);
    let users = runtime.block_on(server.get("/Users")).expect(200);
    assert_eq!(users.body["totalResults"], 1, "{:#}", users.body);
}

/// One recorded exchange with a JSON answer.
fn exchange(seq: u64, method: &str, path: &str, query: Option<&str>, status: u16, body: Value) -> Exchange {
    Exchange {
        seq,
        idp: "okta".into(),
        dialect: "oin".into(),
        scenario: "bob is matched and updated".into(),
        step: "When \"bob\" is assigned to the app".into(),
        scheduled_at: "PT0S".into(),
        request: RecordedRequest {
            method: method.into(),
            path: path.into(),
            query: query.map(str::to_string),
            headers: BTreeMap::from([("content-type".into(), "application/scim+json".into())]),
            body: None,
        },
        response: Some(RecordedResponse {
            status,
            headers: BTreeMap::from([("content-type".into(), "application/scim+json".into())]),
            body: Some(body),
        }),
        error: None,
        elapsed_ms: 3.0,
    }
}

/// A recording in which Okta matched the user "bob" that the recorded target held already
/// (a filter found him) and deactivated him; written to `dir` as `matched.jsonl`.
fn matched_recording(dir: &TempDir) -> String {
    let bob = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "rec-bob-1", "userName": "bob"});
    let found = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1,
        "startIndex": 1, "itemsPerPage": 1, "Resources": [bob]});
    let mut patch = exchange(2, "PATCH", "/Users/rec-bob-1", None, 200, bob);
    patch.request.body = Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": false}]}));
    let recording: Transcript = [
        exchange(1, "GET", "/Users", Some("filter=userName%20eq%20%22bob%22&startIndex=1&count=100"), 200, found),
        patch,
    ]
    .into_iter()
    .collect();
    let mut text = Vec::new();
    recording.write_jsonl(&mut text).unwrap();
    dir.write_bytes("matched.jsonl", &text)
}

#[test]
fn a_user_the_recording_matched_but_never_created_is_not_sent() {
    let dir = TempDir::new("replay-matched");
    let path = matched_recording(&dir);
    let out = dir.path("replayed.jsonl");

    let outcome = replay_embedded(Path::new(&path), &out);
    assert_eq!(outcome.code, Some(1), "{}{}", outcome.stdout, outcome.stderr);
    assert!(outcome.stdout.contains("#2 PATCH /Users/rec-bob-1: not sent: it names rec-bob-1"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("the recording found it on the recorded target at #1"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("replayed 2 exchanges: 0 identical, 1 differ, 1 not sent"), "{}", outcome.stdout);
    let replayed = read(Path::new(&out));
    assert_eq!(replayed[1].response, None, "nothing was sent, so nothing answered");
    assert!(replayed[1].error.as_deref().is_some_and(|e| e.starts_with("not sent: ")), "{:?}", replayed[1].error);
}

#[test]
fn on_a_named_target_a_matched_user_the_replay_did_not_create_is_left_alone() {
    let dir = TempDir::new("replay-guarded");
    let path = matched_recording(&dir);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(TestServer::start());
    let bob = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bob", "active": true});
    let bob = runtime.block_on(server.post("/Users", &bob)).expect(201).body;
    let url = server.server.url().to_string();

    let args = ["replay", path.as_str(), "--target", url.as_str()];
    let outcome = run_with_env(&args, &[("SCIMSIM_TOKEN", server.server.token())], &["SCIMSIM_TARGET_URL"]);
    assert_eq!(outcome.code, Some(1), "{}{}", outcome.stdout, outcome.stderr);
    // The filter found bob here too, so the recorded id maps to his; but the replay did not
    // create him, and a shared target's objects are not the replay's to change.
    let refused =
        format!("#2 PATCH /Users/rec-bob-1: not sent: this run did not create Users/{}", bob["id"].as_str().unwrap());
    assert!(outcome.stdout.contains(&refused), "{}", outcome.stdout);
    // The recorded answer had no `meta`; the id itself reads the same on both sides.
    assert!(outcome.stdout.contains("\n         \"id\": \"[id-1]\",\n"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("replayed 2 exchanges: 0 identical, 1 differ, 1 not sent"), "{}", outcome.stdout);
    let bob = runtime.block_on(server.get(&format!("/Users/{}", bob["id"].as_str().unwrap()))).expect(200);
    assert_eq!(bob.body["active"], true, "{:#}", bob.body);
}

#[test]
fn a_transcript_that_cannot_be_read_exits_2_naming_the_line() {
    let dir = TempDir::new("replay-unreadable");
    let mut text = Vec::new();
    Transcript::from_iter([exchange(1, "GET", "/Users", None, 200, json!({}))]).write_jsonl(&mut text).unwrap();
    text.extend_from_slice(b"{\"seq\": \"two\"}\n");
    let broken = dir.write_bytes("broken.jsonl", &text);
    let outcome = run_with_env(&["replay", &broken], &[], &["SCIMSIM_TARGET_URL"]);
    assert_eq!(outcome.code, Some(2), "{}{}", outcome.stdout, outcome.stderr);
    assert!(outcome.stderr.contains("transcript line 2: not an exchange"), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("fix or delete line 2"), "{}", outcome.stderr);

    for (path, says) in [(dir.path("missing.jsonl"), "cannot read"), (path_str(&dir.0), "is a directory")] {
        let outcome = run_with_env(&["replay", &path], &[], &["SCIMSIM_TARGET_URL"]);
        assert_eq!(outcome.code, Some(2), "{path}: {}{}", outcome.stdout, outcome.stderr);
        assert!(outcome.stderr.contains(says), "{}", outcome.stderr);
    }
}

#[test]
fn an_unreachable_target_exits_3() {
    let dir = TempDir::new("replay-unreachable");
    let mut text = Vec::new();
    Transcript::from_iter([exchange(1, "GET", "/Users", None, 200, json!({}))]).write_jsonl(&mut text).unwrap();
    let path = dir.write_bytes("one.jsonl", &text);
    let outcome = run_with_env(
        &["replay", &path, "--target", "http://127.0.0.1:9/scim", "--timeout", "5"],
        &[("SCIMSIM_TOKEN", "unreachable-token-77")],
        &["SCIMSIM_TARGET_URL"],
    );
    assert_eq!(outcome.code, Some(3), "{}{}", outcome.stdout, outcome.stderr);
    assert!(outcome.stderr.contains("cannot be reached"), "{}", outcome.stderr);
    assert!(!outcome.stderr.contains("unreachable-token-77"), "{}", outcome.stderr);
}

/// A client for `base_url` that authenticates with `token`, as the replay command builds one.
fn client(base_url: &str, token: &str) -> TargetClient {
    let config = TargetConfig {
        use_env_proxy: false,
        ..TargetConfig::new(base_url, scimsim::target::Auth::Bearer(token.to_string()))
    };
    TargetClient::new(config).expect("a client for a loopback URL")
}

#[tokio::test]
async fn a_target_that_goes_away_stops_the_replay_with_exit_code_3() {
    let recording: Transcript =
        (1..=3).map(|seq| exchange(seq, "GET", "/Users", None, 200, json!({"totalResults": 0}))).collect();
    let mut out = Vec::new();
    let summary =
        replay(&recording, &client("http://127.0.0.1:9/scim", "t0ken"), ReplayOptions::default(), pending(), &mut out)
            .await
            .expect("the output is written");
    assert!(summary.unreachable.is_some());
    assert_eq!(summary.exit_code(), scimsim::exit_code::TRANSPORT);
    assert_eq!(summary.transcript.len(), 1, "the first failure stops it");
    assert!(summary.line().contains("(3 of 3 not reached)"), "{}", summary.line());
}

#[tokio::test]
async fn stop_at_first_stops_after_the_first_difference() {
    let server = TestServer::start().await;
    let recording: Transcript = (1..=3)
        .map(|seq| exchange(seq, "GET", "/ServiceProviderConfig", None, 200, json!({"patch": {"supported": false}})))
        .collect();
    let client = client(server.server.url(), server.server.token());
    let mut out = Vec::new();
    let options = ReplayOptions { stop_at_first: true };
    let summary = replay(&recording, &client, options, pending(), &mut out).await.expect("the output is written");
    assert_eq!((summary.differ, summary.transcript.len()), (1, 1), "{}", summary.line());
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("#1 GET /ServiceProviderConfig\n--- recorded\n+++ replayed\n"), "{out}");
    assert!(out.contains("\n-    \"patch\": {\n"), "{out}");
}
