//! The service's settings, read from the environment once, at start-up.
use figment::Figment;
use figment::providers::Env;
use serde::Deserialize;

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
}

/// APP_PORT=8080 sets `port`; a variable that is not set keeps the default.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 0 picks a free port.
    pub port: u16,
    pub log_level: LogLevel,
    /// How long a stop waits for requests in progress.
    pub grace_seconds: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            port: 3000,
            log_level: LogLevel::Info,
            grace_seconds: 2.0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value of the wrong type: figment names the variable. (Boxed: the
    /// error is large, and a Result is as large as its largest variant.)
    #[error(transparent)]
    Environment(#[from] Box<figment::Error>),
    #[error("APP_GRACE_SECONDS must be 0 to 60, not {0}")]
    Grace(f64),
}

impl Settings {
    pub fn from_env() -> Result<Settings, SettingsError> {
        let environment = Figment::new().merge(Env::prefixed("APP_"));
        let settings: Settings = environment.extract().map_err(Box::new)?;
        // Types are serde's to check; ranges are ours.
        if !(0.0..=60.0).contains(&settings.grace_seconds) {
            return Err(SettingsError::Grace(settings.grace_seconds));
        }
        Ok(settings)
    }
}
