// Opens the socket.io connection to the Agent Assist service. This module
// (and socket.io-client with it) is loaded with import() only when Agent
// Assist is enabled and a call starts, never in the initial load.
import { io } from 'socket.io-client';
import type { AssistSettings } from './config';
import type { AssistSocket } from './session';

export function openSocket(s: AssistSettings): AssistSocket {
  // As the vendor's API documents it: the service path, and the token in the query.
  return io(s.serviceUrl, {
    path: s.servicePath,
    query: s.token ? { token: s.token } : {},
    forceNew: true,
    reconnectionAttempts: 5,
  });
}
