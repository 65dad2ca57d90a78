import { stackProperties } from "./stack-properties";

stackProperties("prod");
