import { verdictScenarios } from "./scenarios";

verdictScenarios("dev");
