import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('filesystem');
