//! A handle on a running server connection, for the application's own tasks.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;

use super::Registry;
use crate::driver::{Closed, Command, CommandSink};
use crate::methods as m;

/// Tells a running server's connection about changes: resources updated, tools, resources or
/// prompts added and removed. Cheap to clone.
#[derive(Clone)]
pub struct ServerHandle {
    sink: Arc<dyn CommandSink>,
}

impl core::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ServerHandle")
    }
}

impl ServerHandle {
    /// A handle sending through the connection's command sink.
    pub fn new(sink: Arc<dyn CommandSink>) -> Self {
        ServerHandle { sink }
    }

    /// Changes what the server offers; clients are told which lists changed.
    pub async fn update(
        &self,
        f: impl FnOnce(&mut Registry) + Send + 'static,
    ) -> Result<(), Closed> {
        self.sink.send(Command::UpdateServer(Box::new(f))).await
    }

    /// Tells subscribed clients that a resource changed.
    pub async fn resource_updated(&self, uri: impl Into<String>) -> Result<(), Closed> {
        self.sink.send(Command::ResourceUpdated { uri: uri.into() }).await
    }

    /// Tells clients the tool list changed (when tools changed outside [`ServerHandle::update`]).
    pub async fn tools_changed(&self) -> Result<(), Closed> {
        self.sink.send(Command::ListChanged { method: m::TOOLS_LIST_CHANGED }).await
    }

    /// Closes the connection.
    pub async fn shutdown(&self) -> Result<(), Closed> {
        self.sink.send(Command::Shutdown).await
    }
}
