//! One shape for every write the app makes (an *intent*: redeem, donate, check in, verify,
//! ship…). An [`Intent`] owns whether it is pending, its failure in the user's words, and
//! the one idempotency-key rule that makes a retry safe:
//!
//! - the **same key** while the same intent with the same body is retried after its
//!   answer was lost (`Offline`) or the server failed (a 5xx): the server may have applied
//!   it, and the key makes it answer the first outcome instead of doing it twice;
//! - a **new key** after any answer (done, or refused for a reason), and whenever the body
//!   changes: that is a new request.
//!
//! A failing random source is a failure ([`ApiFailure::Server`] with status 0), never a
//! key of zeros. Pages keep no `busy` flag of their own: they read [`Intent::pending`]
//! (or [`Attempt::pending`], for a write that needs no key).
//! The language is read when the intent is made (in the component), so words said after
//! an `await` are in the member's language.

use std::{future::Future, pin::Pin, rc::Rc};

use leptos::{prelude::*, task::spawn_local};
use send_wrapper::SendWrapper;

use crate::{
    api::{self, ApiFailure, ApiResult},
    i18n::{use_lang, Lang},
};

/// The body and key of an attempt whose outcome is unknown: a retry of the same body
/// sends the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled<I> {
    /// What was sent.
    pub input: I,
    /// The key it was sent with.
    pub key: String,
}

/// Whether a failure leaves the outcome unknown (the write may have been applied): the
/// network failed, or the server failed (5xx, or an answer the app cannot read).
pub fn outcome_unknown(failure: &ApiFailure) -> bool {
    match failure {
        ApiFailure::Offline => true,
        ApiFailure::Server(status) => *status == 0 || *status >= 500,
        ApiFailure::Refused { status, .. } => *status >= 500,
        ApiFailure::Aborted => false,
    }
}

/// The key for an attempt at `input`: the unsettled attempt's key when it is the same
/// body, else a fresh one from `fresh`.
pub fn key_for<I: PartialEq>(
    unsettled: Option<&Unsettled<I>>,
    input: &I,
    fresh: impl FnOnce() -> Result<String, ApiFailure>,
) -> Result<String, ApiFailure> {
    match unsettled {
        Some(u) if u.input == *input => Ok(u.key.clone()),
        _ => fresh(),
    }
}

/// What is kept after an attempt: the attempt itself while its outcome is unknown,
/// nothing once there was an answer.
pub fn after_attempt<I>(input: I, key: String, failure: Option<&ApiFailure>) -> Option<Unsettled<I>> {
    failure.filter(|f| outcome_unknown(f)).map(|_| Unsettled { input, key })
}

type Sender<I, O> = Rc<dyn Fn(I, String) -> Pin<Box<dyn Future<Output = ApiResult<O>>>>>;

/// One request at a time: whether one is pending. The part of every write that needs no
/// key: [`Intent`] is built on it, and a write the server makes idempotent by itself (a
/// check-in: twice a day is a no-op) uses it alone — which keeps Home's one-tap check-in,
/// in the first visit's byte budget, free of the key machinery.
#[derive(Clone, Copy)]
pub struct Attempt {
    pending: RwSignal<bool>,
}

impl Attempt {
    /// A new attempt slot.
    pub fn new() -> Self {
        Attempt { pending: RwSignal::new(false) }
    }

    /// Runs `request` (ignored while one is pending) and hands its outcome to `then`,
    /// done or failed. An aborted request (the page moved on) says nothing.
    pub fn run<O: 'static>(
        &self,
        request: impl Future<Output = ApiResult<O>> + 'static,
        then: impl FnOnce(Result<O, ApiFailure>) + 'static,
    ) {
        if self.pending.get_untracked() {
            return;
        }
        let pending = self.pending;
        pending.set(true);
        spawn_local(async move {
            let outcome = request.await;
            pending.try_set(false);
            if !matches!(outcome, Err(ApiFailure::Aborted)) {
                then(outcome);
            }
        });
    }

    /// Whether a request is on its way (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }
}

impl Default for Attempt {
    fn default() -> Self {
        Self::new()
    }
}

/// One kind of write a page makes, with its idempotency key; see the module's
/// documentation. (Its closures live in `SendWrapper`s in the app's one storage kind: a
/// second, local arena would cost every page that writes its code.)
pub struct Intent<I: 'static, O: 'static> {
    attempt: Attempt,
    failure: RwSignal<Option<ApiFailure>>,
    lang: Lang,
    send: StoredValue<SendWrapper<Sender<I, O>>>,
    unsettled: StoredValue<SendWrapper<Option<Unsettled<I>>>>,
}

impl<I: 'static, O: 'static> Clone for Intent<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Intent<I, O> {}

impl<I: Clone + PartialEq + 'static, O: 'static> Intent<I, O> {
    /// An intent that sends its input with `send(input, idempotency_key)`.
    pub fn new<F, Fut>(send: F) -> Self
    where
        F: Fn(I, String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<O>> + 'static,
    {
        let send: Sender<I, O> = Rc::new(move |input, key| Box::pin(send(input, key)));
        Intent {
            attempt: Attempt::new(),
            failure: RwSignal::new(None),
            lang: use_lang(),
            send: StoredValue::new(SendWrapper::new(send)),
            unsettled: StoredValue::new(SendWrapper::new(None)),
        }
    }

    /// Sends `input` (ignored while an attempt is pending) and hands the outcome to
    /// `then`, done or failed; the failure is also kept for [`Intent::error`].
    pub fn dispatch_then(&self, input: I, then: impl FnOnce(Result<O, ApiFailure>) + 'static) {
        if self.attempt.pending.get_untracked() {
            return;
        }
        let Intent { attempt, failure, send, unsettled, .. } = *self;
        let key = match unsettled.with_value(|u| key_for(u.as_ref(), &input, api::fresh_key)) {
            Ok(key) => key,
            Err(refusal) => {
                failure.set(Some(refusal.clone()));
                then(Err(refusal));
                return;
            }
        };
        let Some(send) = send.try_with_value(|s| Rc::clone(s)) else { return };
        failure.set(None);
        attempt.run(
            async move {
                let outcome = send(input.clone(), key.clone()).await;
                if !matches!(outcome, Err(ApiFailure::Aborted)) {
                    unsettled.try_set_value(SendWrapper::new(after_attempt(input, key, outcome.as_ref().err())));
                }
                outcome
            },
            move |outcome| {
                failure.try_set(outcome.as_ref().err().cloned());
                then(outcome);
            },
        );
    }

    /// Sends `input` and runs `done` with the answer when it succeeds.
    pub fn dispatch(&self, input: I, done: impl FnOnce(O) + 'static) {
        self.dispatch_then(input, |outcome| {
            if let Ok(value) = outcome {
                done(value);
            }
        });
    }

    /// Whether an attempt is on its way (tracked).
    pub fn pending(&self) -> bool {
        self.attempt.pending()
    }

    /// The last attempt's failure, until the next attempt or [`Intent::clear`] (tracked).
    pub fn failure(&self) -> Option<ApiFailure> {
        self.failure.get()
    }

    /// The last failure in the user's words (tracked).
    pub fn error(&self) -> Option<String> {
        self.failure.with(|f| f.as_ref().map(|f| self.lang.page_failure(f)))
    }

    /// Forgets the shown failure (the user changed the form).
    pub fn clear(&self) {
        self.failure.set(None);
    }
}
