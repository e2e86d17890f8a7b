//! Runs a load plan: `concurrency` IdP jobs, each taking the next batch of the generated
//! directory and provisioning it as the IdP's initial run does — Entra's initial cycle (match
//! query, create, groups and member batches), or Okta's assignments and Group Push after one
//! import — through the same engines as the scenarios, against one target.
//!
//! Each request is counted in its job's table of operations as it is sent (the engines'
//! transcript is a tallied one, which keeps no exchange), and a job's IdP and logs are dropped
//! once its batch is done, so memory holds the batches in flight and a histogram per
//! operation, not the whole directory. Each job is a
//! separate IdP instance, so Entra's per-cycle probe (entra-wire.md §1.1) is sent once per
//! batch of [`BATCH_USERS`](super::population::BATCH_USERS) users.
//!
//! A stop (Ctrl-C, SIGTERM) cuts the batches in flight off where they are: what their requests
//! measured so far is kept and reported, with how many users were provisioned, so a long run
//! stopped early still says what it saw.
//!
//! With a [`Baseline`], the run goes in rounds of [`ROUND_BATCHES_PER_JOB`] batches per job:
//! after each round of the harness, the plain loop sends what the round sent. Each side's
//! time is the sum of its rounds.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::idp::directory::Assignment;
use crate::idp::entra::{EntraTenant, Options as EntraOptions, Settings as EntraSettings};
use crate::idp::okta::{AppKind, AuthMode, OktaOrg, Options as OktaOptions, Settings as OktaSettings};
use crate::target::{
    Auth, Pacer, Recording, SentRequest, TargetClient, TargetConfig, TargetError, Transport, WriteGuard,
};
use crate::transcript::Transcript;

use super::baseline::{Baseline, BaselineResult};
use super::load_plan::{LoadIdp, LoadPlan};
use super::operation_stats::OperationTable;
use super::population::{Batch, batches, group_name, user_alias, user_attributes};
use super::reactions::IdpReactions;

/// The target of a load run and how to reach it.
#[derive(Debug, Clone)]
pub struct LoadTarget {
    /// The SCIM base URL.
    pub url: String,
    /// The bearer token.
    pub token: String,
    /// Timeout and TLS options.
    pub transport: Transport,
    /// The client every job sends through (built from `transport`).
    pub http: reqwest::Client,
    /// A shared target: the write guard keeps the jobs off what the run did not create.
    pub shared: bool,
}

/// What a load run measured.
#[derive(Debug, Clone, Default)]
pub struct LoadOutcome {
    /// Latency and statuses per operation.
    pub operations: OperationTable,
    /// How the IdP would have reacted.
    pub reactions: IdpReactions,
    /// Wall-clock time of the provisioning: each batch's users made in the IdP's directory
    /// and sent, Okta's import excluded; with a baseline, the sum of the harness's rounds.
    pub elapsed: Duration,
    /// What the plain loop measured, when the run had one and was not stopped.
    pub baseline: Option<BaselineResult>,
    /// Users whose batch was provisioned to the end.
    pub users_done: usize,
    /// A stop cut the run short: the batches in flight then were cut off.
    pub stopped: bool,
    /// The requests of the round so far, per batch, kept for the baseline.
    calls: Vec<Vec<SentRequest>>,
}

/// Batches per job in a round of a run with a baseline: enough that the jobs finishing a
/// round one by one are a small part of it, few enough that the two sides take turns every
/// second or two.
const ROUND_BATCHES_PER_JOB: usize = 8;

/// Why a load run could not run.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The target client could not be made (a bad base URL).
    #[error("{0}")]
    Target(#[from] TargetError),
    /// A job failed to start or panicked.
    #[error("a load job stopped: {0}")]
    Job(String),
}

/// The state the jobs share.
struct Shared {
    plan: LoadPlan,
    target: LoadTarget,
    prefix: String,
    pacer: Option<Arc<Pacer>>,
    guard: Option<Arc<WriteGuard>>,
    keep_calls: bool,
    batches: Vec<Batch>,
    next: AtomicUsize,
    totals: Mutex<LoadOutcome>,
    users_done: AtomicUsize,
    progress: Arc<dyn Fn(usize) + Send + Sync>,
}

/// The run's stop, polled by each phase until it resolves once.
type Stop<'s> = Pin<&'s mut (dyn Future<Output = ()> + Send)>;

/// Runs `plan` against `target`, naming every object under `prefix`, until it is done or
/// `stop` resolves; `progress` hears of each batch's users as it finishes. With `baseline`,
/// the plain loop sends each round's requests after the harness (see the module's
/// documentation); a stopped run has no baseline, as the two sides did not send the same.
pub async fn run(
    plan: &LoadPlan,
    target: &LoadTarget,
    prefix: &str,
    mut baseline: Option<Baseline>,
    progress: Arc<dyn Fn(usize) + Send + Sync>,
    stop: impl Future<Output = ()> + Send,
) -> Result<LoadOutcome, LoadError> {
    let mut stop: Stop<'_> = std::pin::pin!(stop);
    let keep_calls = baseline.is_some();
    let shared = Arc::new(Shared {
        plan: plan.clone(),
        target: target.clone(),
        prefix: prefix.to_string(),
        pacer: plan.rate.map(|rate| Arc::new(Pacer::new(rate))),
        guard: target.shared.then(|| Arc::new(WriteGuard::default())),
        keep_calls,
        batches: batches(plan),
        next: AtomicUsize::new(0),
        totals: Mutex::new(LoadOutcome::default()),
        users_done: AtomicUsize::new(0),
        progress,
    });
    let mut stopped = false;
    if plan.idp == LoadIdp::Okta {
        // Okta reads the app's users before it provisions (okta-wire.md §1.2).
        let mut job = JobTally::default();
        let (mut importer, client) = shared.okta_org(&job)?;
        tokio::select! {
            biased;
            () = stop.as_mut() => stopped = true,
            _ = importer.import_users() => {}
        }
        job.add(&IdpReactions::of_okta(&importer), client.take_sent());
        let calls = {
            let mut totals = shared.totals.lock().unwrap_or_else(PoisonError::into_inner);
            job.add_to(&mut totals);
            std::mem::take(&mut totals.calls)
        };
        if let (Some(baseline), false) = (&mut baseline, stopped) {
            baseline.replay(calls, false).await;
        }
    }
    let round = if keep_calls { plan.concurrency.max(1) * ROUND_BATCHES_PER_JOB } else { shared.batches.len() };
    let mut elapsed = Duration::ZERO;
    for start in (0..shared.batches.len()).step_by(round.max(1)) {
        if stopped {
            break;
        }
        let end = (start + round).min(shared.batches.len());
        let took;
        (took, stopped) = shared.round(start..end, stop.as_mut()).await?;
        elapsed += took;
        if let (Some(baseline), false) = (&mut baseline, stopped) {
            let calls = std::mem::take(&mut shared.totals.lock().unwrap_or_else(PoisonError::into_inner).calls);
            baseline.replay(calls, true).await;
        }
    }
    let mut outcome = std::mem::take(&mut *shared.totals.lock().unwrap_or_else(PoisonError::into_inner));
    outcome.reactions.throttled = outcome.operations.answers(429);
    outcome.elapsed = elapsed;
    outcome.users_done = shared.users_done.load(Ordering::Relaxed);
    outcome.stopped = stopped;
    outcome.baseline = baseline.filter(|_| !stopped).map(Baseline::into_result);
    Ok(outcome)
}

impl Shared {
    /// Runs the batches of `range` with up to the plan's concurrency of jobs, until they are
    /// done or `stop` resolves, and returns how long they ran and whether they were stopped.
    async fn round(
        self: &Arc<Self>,
        range: std::ops::Range<usize>,
        mut stop: Stop<'_>,
    ) -> Result<(Duration, bool), LoadError> {
        self.next.store(range.start, Ordering::Relaxed);
        let started = Instant::now();
        let mut running = tokio::task::JoinSet::new();
        // Each job's table of operations, so a stop that cuts jobs off still counts what they
        // sent (a job that ends moves its table into the totals, leaving an empty one here).
        let mut tables = Vec::new();
        for _ in 0..self.plan.concurrency.max(1).min(range.len()) {
            let (shared, end, job) = (Arc::clone(self), range.end, JobTally::default());
            tables.push(Arc::clone(&job.operations));
            running.spawn(async move { shared.work(end, job).await });
        }
        let mut stopped = false;
        loop {
            tokio::select! {
                biased;
                () = stop.as_mut(), if !stopped => {
                    // Cut the jobs off, then wait until none is left running.
                    running.abort_all();
                    stopped = true;
                }
                done = running.join_next() => match done {
                    None => break,
                    Some(Ok(result)) => result?,
                    Some(Err(cut)) if cut.is_cancelled() => {}
                    Some(Err(failed)) => return Err(LoadError::Job(failed.to_string())),
                },
            }
        }
        if stopped {
            let mut totals = self.totals.lock().unwrap_or_else(PoisonError::into_inner);
            for table in &tables {
                totals.operations.merge(&std::mem::take(&mut *table.lock().unwrap_or_else(PoisonError::into_inner)));
            }
        }
        Ok((started.elapsed(), stopped))
    }

    /// Takes batches until the round's, which end at `end`, are all taken, counting them in
    /// `job`, then adds what they measured to the run's totals (once per job: a table of
    /// histograms per batch would be most of a batch's memory).
    async fn work(&self, end: usize, mut job: JobTally) -> Result<(), LoadError> {
        loop {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(batch) = self.batches.get(index).filter(|_| index < end) else { break };
            match self.plan.idp {
                LoadIdp::Entra => self.entra_batch(batch, &mut job).await?,
                LoadIdp::Okta => self.okta_batch(batch, &mut job).await?,
            }
            self.users_done.fetch_add(batch.users.len(), Ordering::Relaxed);
            (self.progress)(batch.users.len());
        }
        job.add_to(&mut self.totals.lock().unwrap_or_else(PoisonError::into_inner));
        Ok(())
    }

    /// A client for a job: the run's transport, pacer and guard.
    fn client(&self, base_url: String, auth: Auth) -> Result<TargetClient, LoadError> {
        let config = TargetConfig {
            pacer: self.pacer.clone(),
            guard: self.guard.clone(),
            recording: Recording::Summary { keep_sent: self.keep_calls },
            ..TargetConfig::with_transport(base_url, auth, self.target.transport.clone())
        };
        Ok(TargetClient::with_http(config, self.target.http.clone())?)
    }

    /// Entra's initial cycle for one batch, every user and group assigned, counted in `job`.
    async fn entra_batch(&self, batch: &Batch, job: &mut JobTally) -> Result<(), LoadError> {
        let settings = EntraSettings { accidental_deletion_threshold: None, ..EntraSettings::new(&self.target.url) };
        let options = EntraOptions::default();
        let (base, _) = settings.base_url(&options);
        let client = self.client(base, Auth::Bearer(self.target.token.clone()))?;
        let mut entra = EntraTenant::new(client.clone(), settings, options);
        entra.directory.set_id_namespace(&self.prefix);
        entra.set_transcript(job.transcript());
        entra.directory.reserve(batch.users.len() + batch.groups.len());
        let mut ids = Vec::with_capacity(batch.users.len());
        for n in batch.users.clone() {
            let attributes = user_attributes(LoadIdp::Entra, &self.prefix, n);
            let id = entra.directory.add_user(&user_alias(n), attributes).map_err(|e| LoadError::Job(e.to_string()))?;
            entra.directory.assign(&id, Assignment::default_access());
            ids.push(id);
        }
        for (group, members) in &batch.groups {
            let name = group_name(&self.prefix, *group);
            let members: Vec<String> = members.iter().map(|m| ids[m - batch.users.start].clone()).collect();
            let attributes = [("displayName".to_string(), serde_json::Value::String(name.clone()))].into();
            let id =
                entra.directory.add_group(&name, attributes, &members).map_err(|e| LoadError::Job(e.to_string()))?;
            entra.directory.assign(&id, Assignment::default_access());
        }
        let report = entra.run_cycle().await;
        job.add(&IdpReactions::of_entra(&entra, &report.outcome), client.take_sent());
        Ok(())
    }

    /// An Okta org on the target (an OIN app, bearer token) that counts its requests in
    /// `job`, and the client it sends through.
    fn okta_org(&self, job: &JobTally) -> Result<(OktaOrg, TargetClient), LoadError> {
        let settings = OktaSettings::new(self.target.url.clone(), AppKind::Oin);
        let client = self.client(self.target.url.clone(), AuthMode::Bearer(self.target.token.clone()).to_auth())?;
        let mut okta = OktaOrg::new(client.clone(), settings, OktaOptions::default());
        okta.set_id_namespace(&self.prefix);
        okta.set_transcript(job.transcript());
        Ok((okta, client))
    }

    /// Okta for one batch, each user assigned and then each group pushed, counted in `job`.
    async fn okta_batch(&self, batch: &Batch, job: &mut JobTally) -> Result<(), LoadError> {
        let (mut okta, client) = self.okta_org(job)?;
        okta.reserve_users(batch.users.len());
        let stopped = |e: &dyn std::fmt::Display| LoadError::Job(e.to_string());
        let mut ids = Vec::with_capacity(batch.users.len());
        for n in batch.users.clone() {
            let attributes = user_attributes(LoadIdp::Okta, &self.prefix, n);
            ids.push(okta.add_user(&user_alias(n), attributes).map_err(|e| stopped(&e))?);
        }
        for id in &ids {
            // A failed assignment is a failed task in Okta's log, counted below.
            okta.assign_id(id).await;
        }
        for (group, members) in &batch.groups {
            let name = group_name(&self.prefix, *group);
            let aliases: Vec<String> = members.iter().map(|m| user_alias(*m)).collect();
            let aliases: Vec<&str> = aliases.iter().map(String::as_str).collect();
            okta.add_group(&name, &aliases).map_err(|e| stopped(&e))?;
            let _ = okta.push_group(&name).await;
        }
        job.add(&IdpReactions::of_okta(&okta), client.take_sent());
        Ok(())
    }
}

/// What one job measured over its batches, added to the run's totals when it is done.
#[derive(Default)]
struct JobTally {
    /// Its requests, counted as they are sent (shared with its engines' transcripts).
    operations: Arc<Mutex<OperationTable>>,
    /// How its IdPs reacted.
    reactions: IdpReactions,
    /// The requests each batch sent, kept for a baseline only.
    calls: Vec<Vec<SentRequest>>,
}

impl JobTally {
    /// A transcript that records each exchange in this job's operations as it is sent and
    /// keeps none, so a batch's memory does not grow with its requests.
    fn transcript(&self) -> Transcript {
        let operations = Arc::clone(&self.operations);
        Transcript::tallied(Arc::new(move |exchange| {
            operations.lock().unwrap_or_else(PoisonError::into_inner).record(exchange);
        }))
    }

    /// Adds a batch's reactions and the requests it sent.
    fn add(&mut self, reactions: &IdpReactions, sent: Vec<SentRequest>) {
        self.reactions.merge(reactions);
        if !sent.is_empty() {
            self.calls.push(sent);
        }
    }

    /// Moves what the job measured into `totals`.
    fn add_to(mut self, totals: &mut LoadOutcome) {
        totals.operations.merge(&std::mem::take(&mut *self.operations.lock().unwrap_or_else(PoisonError::into_inner)));
        totals.reactions.merge(&self.reactions);
        totals.calls.append(&mut self.calls);
    }
}
