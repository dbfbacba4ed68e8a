import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('sqlite');
