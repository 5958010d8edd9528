export { connect, connectionMode, readToken, type ConnectionMode } from './connect';
export { api, currentClient, setClient } from './client';
