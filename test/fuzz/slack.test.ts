import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('slack');
