#!/usr/bin/env node
// The installed `deltaflow` command: runs the built CLI.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
