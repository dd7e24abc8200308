// The user's own module for hotpath: the marker re-exported under another name, and seal().
export { STATIC_VARIABLE_LOAD as load, seal } from 'hotpath';
