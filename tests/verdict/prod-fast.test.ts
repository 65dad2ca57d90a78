import { verdictScenarios } from "./scenarios";

verdictScenarios("prod");
