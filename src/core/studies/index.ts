export { studiesHandlers } from './handlers';
