//! Staff passwords: argon2id (default parameters: 19 MiB and two passes per hash), hashed
//! and checked on the blocking pool, never on the async threads, and never more than a
//! few at once: a [`Hashing`] semaphore bounds the memory and the CPU that password work
//! may take. A request that finds every permit taken waits in a short queue; when the
//! queue is full, or its wait too long, it is refused as busy (the sign-in answers 429
//! with `Retry-After`) instead of starting yet another 19 MiB hash.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why password work did not run or failed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every permit is taken and the queue is full (or the wait ran out).
    #[error("too many password checks at once; try again in a moment")]
    Busy,
    /// The hash could not be made or read, or its task failed.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// The bound on password work: at most `permits` hashes at once, at most `queue`
/// requests waiting for one, each for at most `wait`.
#[derive(Debug)]
pub struct Hashing {
    permits: Arc<Semaphore>,
    queue: usize,
    wait: Duration,
    waiting: AtomicUsize,
    running: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

impl Default for Hashing {
    /// Two at once (38 MiB), sixteen waiting, each for up to ten seconds.
    fn default() -> Self {
        Hashing::new(2, 16, Duration::from_secs(10))
    }
}

/// A permit to hash, taken before the work it is for (so a request refused as busy has
/// done and written nothing); the hash runs with it and gives it back when it ends.
#[derive(Debug)]
pub struct Turn {
    permit: OwnedSemaphorePermit,
    running: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

/// Counts a request waiting for a permit while it waits (also when it is dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Hashing {
    /// A bound of `permits` hashes at once (at least one), `queue` waiting, each for `wait`.
    pub fn new(permits: usize, queue: usize, wait: Duration) -> Hashing {
        Hashing {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            queue,
            wait,
            waiting: AtomicUsize::new(0),
            running: Arc::default(),
            most: Arc::default(),
        }
    }

    /// The most hashes that ever ran at once in this process (tests and logs check the
    /// bound with it).
    pub fn most_at_once(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    /// A permit for a request: at once, or after a short wait in the queue; `Busy` when
    /// the queue is full or the wait ran out.
    pub async fn turn(&self) -> Result<Turn, HashError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let _waiting = Waiting(&self.waiting);
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    return Err(HashError::Busy);
                }
                match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(HashError::Busy),
                }
            }
        };
        Ok(Turn { permit, running: self.running.clone(), most: self.most.clone() })
    }

    /// A permit for work that is not a request (start-up checks, the command line): waits
    /// as long as it takes.
    async fn turn_patiently(&self) -> Result<Turn, HashError> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|e| HashError::Failed(e.to_string()))?;
        Ok(Turn { permit, running: self.running.clone(), most: self.most.clone() })
    }

    /// Hashes a password (a request: may be `Busy`).
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.turn().await?.hash(password).await
    }

    /// Whether `password` matches the PHC string `hash` (a request: may be `Busy`).
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashError> {
        self.turn().await?.verify(password, hash).await
    }

    /// As [`Hashing::verify`], waiting as long as it takes (start-up checks).
    pub async fn verify_in_turn(&self, password: String, hash: String) -> Result<bool, HashError> {
        self.turn_patiently().await?.verify(password, hash).await
    }
}

impl Turn {
    /// Runs `work` on the blocking pool, holding the permit until it ends (even if the
    /// request that asked is gone meanwhile, the bound holds).
    async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let Turn { permit, running, most } = self;
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            let out = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// Hashes a password with argon2id (default parameters, random salt).
    pub async fn hash(self, password: String) -> Result<String, HashError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| HashError::Failed(e.to_string()))
        })
        .await?
    }

    /// Whether `password` matches the PHC string `hash`.
    pub async fn verify(self, password: String, hash: String) -> Result<bool, HashError> {
        self.run(move || {
            let parsed = PasswordHash::new(&hash).map_err(|e| HashError::Failed(e.to_string()))?;
            Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await?
    }
}

/// A PHC hash no password matches, checked when the username is unknown so an unknown
/// name takes as long as a wrong password.
pub const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Gx4V1PEY8j0ODtRlVyxQqPbqHsOy3gnnE8UHJ6yTQU";

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use futures_util::future::join_all;

    use super::{HashError, Hashing};

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_than_the_permits_hash_at_once_and_a_full_queue_is_busy() {
        let hashing = Hashing::new(2, 3, Duration::from_secs(30));
        let hash = hashing.hash("correct horse battery".into()).await.unwrap();
        let checks = join_all((0..12).map(|_| hashing.verify("correct horse battery".into(), hash.clone()))).await;
        let busy = checks.iter().filter(|c| matches!(c, Err(HashError::Busy))).count();
        let matched = checks.iter().filter(|c| matches!(c, Ok(true))).count();
        // Two run, three wait: of twelve at once, at least five are checked and the others
        // are refused as busy, never run beyond the bound.
        assert!(matched >= 5 && matched + busy == 12, "{checks:?}");
        assert!((1..=2).contains(&hashing.most_at_once()), "at most two at once: {}", hashing.most_at_once());
    }
}
